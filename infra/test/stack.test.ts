import { PRINCIPALS, type Principal } from '@pm-agent/shared';
import { ROUTES } from '@pm-agent/backend/api/routes';
import { FUNCTION_NAMES } from '../src/functions';
import { GATEWAY_ROUTES, invokeTail } from '../src/route-policy';
import { STACK_SUPPRESSIONS } from '../src/nag-suppressions';
import { LOG_RETENTION, STAGE_NAME, THROTTLE, WAF_RATE_LIMIT } from '../src/stack';
import { IamModel, type Identity } from './support/iam';
import { ACCOUNT, REGION } from './support/resolve';
import { synthesise, type Template } from './support/synth';

/**
 * The synthesised stack, checked offline: template properties, IAM questions answered by
 * evaluating the synthesised policies (@cloud-copilot/iam-simulate), and cdk-nag AwsSolutions.
 * Synthesised once for the whole file (it takes tens of seconds on a busy machine).
 */
let t: Template;
let report: any;
let iam: IamModel;
let cleanup = () => {};

beforeAll(() => {
  const out = synthesise();
  t = out.template;
  report = out.report;
  cleanup = out.cleanup;
  iam = new IamModel(t);
}, 300_000);
afterAll(() => cleanup());

const ofType = (type: string) => Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const one = (type: string, prefix: string): string => {
  const hits = ofType(type).filter(([id]) => id.startsWith(prefix));
  if (hits.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${hits.length}`);
  return hits[0]![0];
};
const refOf = (v: unknown): string | undefined => (v && typeof v === 'object' && 'Ref' in v ? (v as { Ref: string }).Ref : v && typeof v === 'object' && 'Fn::GetAtt' in v ? (v as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0] : undefined);

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const fnRole = (fn: string) => one('AWS::IAM::Role', `${cap(fn)}Role`);

describe('cdk-nag AwsSolutions', () => {
  it('synthesises with zero unsuppressed findings, and every suppression gives a reason', () => {
    // The report lists a plugin only when it found something unacknowledged (and synthesis throws then).
    const violations = (report.pluginReports as any[]).flatMap((p) => p.violations ?? []);
    expect(violations.map((v: any) => v.ruleName)).toEqual([]);
    expect(report.title).toBe('Validation Report');
    for (const s of STACK_SUPPRESSIONS) expect(s.reason.length).toBeGreaterThan(30);
  });
});

describe('template', () => {
  it('gives each function its own role, nodejs22.x, X-Ray, JSON logs to its own log group with retention', () => {
    const fns = ofType('AWS::Lambda::Function');
    expect(fns).toHaveLength(FUNCTION_NAMES.length);
    const roles = new Set(fns.map(([, f]) => refOf(f.Properties.Role)));
    expect(roles.size).toBe(FUNCTION_NAMES.length);
    const logGroups = new Set<string>();
    for (const [, f] of fns) {
      expect(f.Properties.Runtime).toBe('nodejs22.x');
      expect(f.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      expect(f.Properties.LoggingConfig.LogFormat).toBe('JSON');
      const lg = refOf(f.Properties.LoggingConfig.LogGroup)!;
      logGroups.add(lg);
      expect(t.Resources[lg]!.Properties.RetentionInDays).toBe(LOG_RETENTION);
      expect(t.Resources[lg]!.Properties.KmsKeyId).toBeDefined();
    }
    expect(logGroups.size).toBe(FUNCTION_NAMES.length);
  });

  it('holds no secret value in any environment: only secret ARNs, names and settings', () => {
    for (const [id, f] of ofType('AWS::Lambda::Function')) {
      const env = (f.Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(env)) {
        expect(k).not.toMatch(/TOKEN|API_KEY|PASSWORD|SECRET$/);
        if (/SECRET_ARN$/.test(k)) expect(refOf(v)).toMatch(/Secret/); // a reference to the secret resource: its ARN
        // nothing resolves a secret's value into the template
        expect(JSON.stringify(v)).not.toMatch(/resolve:secretsmanager|SecretString/);
      }
      expect(id).toBeTruthy();
    }
  });

  it('uses AWS_IAM on every method but GET /v1/health, for exactly the deployed routes of the route table', () => {
    const methods = ofType('AWS::ApiGateway::Method').map(([, m]) => m.Properties);
    const deployed = ROUTES;
    expect(methods).toHaveLength(deployed.length);
    for (const m of methods) {
      const isHealth = m.HttpMethod === 'GET' && /v1health[0-9A-F]{8}"/.test(JSON.stringify(m.ResourceId));
      expect(m.AuthorizationType).toBe(isHealth ? 'NONE' : 'AWS_IAM');
    }
    expect(methods.filter((m) => m.AuthorizationType === 'NONE')).toHaveLength(1);
  });

  it('gives each principal execute-api:Invoke on exactly its routes from the route table', () => {
    for (const p of PRINCIPALS) {
      const [, policy] = ofType('AWS::IAM::Policy').find(([id]) => id.startsWith(`${cap(p)}InvokesItsRoutes`))!;
      const stmts = policy.Properties.PolicyDocument.Statement as any[];
      expect(stmts).toHaveLength(1);
      expect(stmts[0].Action).toBe('execute-api:Invoke');
      const tails = (stmts[0].Resource as any[]).map((r) => iam.r.resolve(r) as string).map((arn) => arn.slice(arn.indexOf(`/${STAGE_NAME}/`) + STAGE_NAME.length + 2));
      const expected = ROUTES.filter((r) => r.access !== 'public' && r.access.includes(p)).map((r) => `${r.method}${r.path.replace(/:\w+/g, '*')}`);
      expect(tails.sort()).toEqual(expected.sort());
    }
  });

  it('denies UpdateItem/DeleteItem/BatchWriteItem on the audit table in every role and in the boundary', () => {
    const audit = one('AWS::DynamoDB::Table', 'AuditTable');
    const auditArn = iam.r.getAtt(audit, 'Arn');
    const denies = (doc: any) => (doc.Statement as any[]).some((s) => s.Effect === 'Deny' && ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].every((a) => [s.Action].flat().includes(a)) && [s.Resource].flat().map((r: unknown) => iam.r.resolve(r)).includes(auditArn));
    for (const [id] of ofType('AWS::IAM::Role').filter(([rid]) => rid.endsWith('Role') || /Role[0-9A-F]{8}$/.test(rid))) {
      if (!t.Resources[id]!.Properties.AssumeRolePolicyDocument.Statement.some((s: any) => s.Principal?.Service)) continue; // principals (outlook, agent) hold no table rights at all
      const policies = iam.identity(id).identityPolicies.map((p) => p.policy);
      expect(policies.some(denies)).toBe(true);
    }
    const [, boundary] = ofType('AWS::IAM::ManagedPolicy')[0]!;
    expect(denies(iam.r.resolve(boundary.Properties.PolicyDocument))).toBe(true);
  });

  it('puts the permission boundary on every role and user', () => {
    const [boundaryId] = ofType('AWS::IAM::ManagedPolicy')[0]!;
    const identities = [...ofType('AWS::IAM::Role'), ...ofType('AWS::IAM::User')];
    expect(identities.length).toBeGreaterThanOrEqual(FUNCTION_NAMES.length + 4);
    for (const [, r] of identities) expect(refOf(r.Properties.PermissionsBoundary)).toBe(boundaryId);
  });

  it('never allows Action "*" anywhere', () => {
    const docs = [...ofType('AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument), ...ofType('AWS::IAM::ManagedPolicy').map(([, p]) => p.Properties.PolicyDocument), t.Resources[one('AWS::KMS::Key', 'Key')]!.Properties.KeyPolicy];
    for (const d of docs) for (const s of d.Statement) if (s.Effect === 'Allow') expect([s.Action].flat()).not.toContain('*');
  });

  it('has one customer-managed key with rotation, encrypting secrets, tables, queues, logs and the alarm topic', () => {
    expect(ofType('AWS::KMS::Key')).toHaveLength(1);
    const key = one('AWS::KMS::Key', 'Key');
    expect(t.Resources[key]!.Properties.EnableKeyRotation).toBe(true);
    for (const [, s] of ofType('AWS::SecretsManager::Secret')) expect(refOf(s.Properties.KmsKeyId)).toBe(key);
    for (const [, q] of ofType('AWS::SQS::Queue')) expect(refOf(q.Properties.KmsMasterKeyId)).toBe(key);
    for (const [, l] of ofType('AWS::Logs::LogGroup')) expect(refOf(l.Properties.KmsKeyId)).toBe(key);
    for (const [, d] of ofType('AWS::DynamoDB::Table')) expect(refOf(d.Properties.SSESpecification.KMSMasterKeyId)).toBe(key);
    for (const [, s] of ofType('AWS::SNS::Topic')) expect(refOf(s.Properties.KmsMasterKeyId)).toBe(key);
  });

  it('keeps point-in-time recovery and deletion protection on every table', () => {
    const tables = ofType('AWS::DynamoDB::Table');
    expect(tables.length).toBeGreaterThanOrEqual(2);
    for (const [, d] of tables) {
      expect(d.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(d.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it('associates a WAF web ACL (common rules, known bad inputs, rate limit) with the stage; throttles, logs and traces the stage', () => {
    const [aclId, acl] = ofType('AWS::WAFv2::WebACL')[0]!;
    const names = (acl.Properties.Rules as any[]).map((r) => r.Statement.ManagedRuleGroupStatement?.Name ?? (r.Statement.RateBasedStatement ? `rate:${r.Statement.RateBasedStatement.Limit}` : r.Name));
    expect(names).toEqual(['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', `rate:${WAF_RATE_LIMIT}`]);
    const [, assoc] = ofType('AWS::WAFv2::WebACLAssociation')[0]!;
    expect(refOf(assoc.Properties.WebACLArn)).toBe(aclId);
    const stageId = one('AWS::ApiGateway::Stage', 'ApiDeploymentStage');
    expect(JSON.stringify(assoc.Properties.ResourceArn)).toContain(stageId);
    const stage = t.Resources[stageId]!.Properties;
    expect(stage.TracingEnabled).toBe(true);
    expect(stage.AccessLogSetting.DestinationArn).toBeDefined();
    expect(stage.MethodSettings).toEqual(expect.arrayContaining([expect.objectContaining({ ThrottlingRateLimit: THROTTLE.rateLimit, ThrottlingBurstLimit: THROTTLE.burstLimit })]));
  });

  it('runs triage as an Express state machine sanitise → classify with tracing and logs without execution data', () => {
    const [, sm] = ofType('AWS::StepFunctions::StateMachine')[0]!;
    expect(sm.Properties.StateMachineType).toBe('EXPRESS');
    expect(sm.Properties.TracingConfiguration).toEqual({ Enabled: true });
    expect(sm.Properties.LoggingConfiguration.IncludeExecutionData).toBe(false);
    const def = JSON.parse((iam.r.resolve(sm.Properties.DefinitionString) as string));
    expect(def.StartAt).toBe('Sanitise');
    expect(def.States.Sanitise.Next).toBe('Classify');
    expect(def.States.Classify.End).toBe(true);
    // classify never receives the raw email: its payload selects sanitise's reply and the settings only
    expect(def.States.Classify.Parameters).toEqual({ 'sanitised.$': '$.sanitised', 'classify.$': '$.classify' });
  });

  it('feeds execute from a queue with a dead-letter queue, an alarm on it, and partial batch failures; dispatches every minute', () => {
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping')[0]!;
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(refOf(mapping.Properties.FunctionName)).toBe(one('AWS::Lambda::Function', 'ExecuteFunction'));
    const queue = one('AWS::SQS::Queue', 'ExecuteQueue');
    const dlq = one('AWS::SQS::Queue', 'ExecuteDeadLetters');
    expect(refOf(t.Resources[queue]!.Properties.RedrivePolicy.deadLetterTargetArn)).toBe(dlq);
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    expect(alarms.some((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible' && JSON.stringify(a.Dimensions).includes(dlq))).toBe(true);
    const [, rule] = ofType('AWS::Events::Rule')[0]!;
    expect(rule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(refOf(rule.Properties.Targets[0].Arn)).toBe(one('AWS::Lambda::Function', 'DispatcherFunction'));
  });

  it('alarms on API 5xx, each function\'s errors and throttles, dead letters and the model cap', () => {
    const metrics = ofType('AWS::CloudWatch::Alarm').map(([, a]) => `${a.Properties.Namespace}/${a.Properties.MetricName}`);
    expect(metrics).toEqual(expect.arrayContaining(['AWS/ApiGateway/5XXError', 'AWS/SQS/ApproximateNumberOfMessagesVisible', 'pm-agent/ModelCapReached']));
    expect(metrics.filter((m) => m === 'AWS/Lambda/Errors')).toHaveLength(FUNCTION_NAMES.length);
    expect(metrics.filter((m) => m === 'AWS/Lambda/Throttles')).toHaveLength(FUNCTION_NAMES.length);
  });

  it('lets Outlook users in only through the Entra ID tenant\'s provider, for this app\'s audience, for at most an hour', () => {
    const [providerId, provider] = ofType('AWS::IAM::OIDCProvider')[0]!;
    expect(provider.Properties.Url).toMatch(/^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}\/v2\.0$/);
    const role = t.Resources[one('AWS::IAM::Role', 'OutlookRole')]!.Properties;
    expect(role.MaxSessionDuration).toBe(3600);
    const [stmt] = role.AssumeRolePolicyDocument.Statement;
    expect(stmt.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(refOf(stmt.Principal.Federated)).toBe(providerId);
    const issuer = (provider.Properties.Url as string).replace('https://', '');
    expect(stmt.Condition.StringEquals[`${issuer}:aud`]).toBe(provider.Properties.ClientIdList[0]);
  });
});

describe('IAM, evaluated (identity + boundary + resource/key policies)', () => {
  const SERVICE_ROLES = [...FUNCTION_NAMES, 'triageMachine'] as const;
  const who = (name: string): Identity => (name === 'forge' ? iam.identity(one('AWS::IAM::User', 'ForgeUser')) : name === 'outlook' || name === 'agent' ? iam.identity(one('AWS::IAM::Role', `${cap(name)}Role`)) : iam.identity(name === 'triageMachine' ? one('AWS::IAM::Role', 'TriageMachineRole') : fnRole(name)));
  const EVERYONE = [...SERVICE_ROLES, ...PRINCIPALS];
  const secretArn = (prefix: string) => iam.r.ref(one('AWS::SecretsManager::Secret', prefix));
  const keyArn = () => iam.r.getAtt(one('AWS::KMS::Key', 'Key'), 'Arn');
  const tableArn = (prefix: string) => iam.r.getAtt(one('AWS::DynamoDB::Table', prefix), 'Arn');

  async function decide(names: readonly string[], action: string, resource: () => string, context: Record<string, string> = {}): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const n of names) out[n] = await iam.can(who(n), action, resource(), context);
    return out;
  }
  const allowedOnly = (answers: Record<string, string>) => Object.keys(answers).filter((k) => answers[k] === 'Allowed').sort();

  it('the Jira secret: only execute can read it, and only execute can decrypt it', async () => {
    expect(allowedOnly(await decide(EVERYONE, 'secretsmanager:GetSecretValue', () => secretArn('JiraSecret')))).toEqual(['execute']);
    const ctx = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn('JiraSecret') };
    expect(allowedOnly(await decide(EVERYONE, 'kms:Decrypt', keyArn, ctx))).toEqual(['execute']);
  });

  it('the Anthropic secret: only the two triage stages can read and decrypt it', async () => {
    expect(allowedOnly(await decide(EVERYONE, 'secretsmanager:GetSecretValue', () => secretArn('AnthropicSecret')))).toEqual(['classify', 'sanitise']);
    const ctx = { 'kms:ViaService': `secretsmanager.${REGION}.amazonaws.com`, 'kms:EncryptionContext:SecretARN': secretArn('AnthropicSecret') };
    expect(allowedOnly(await decide(EVERYONE, 'kms:Decrypt', keyArn, ctx))).toEqual(['classify', 'sanitise']);
  });

  it('Jira-bound work: only api and dispatcher queue it, only execute receives it, nobody invokes execute directly', async () => {
    const queueArn = () => iam.r.getAtt(one('AWS::SQS::Queue', 'ExecuteQueue'), 'Arn');
    expect(allowedOnly(await decide(EVERYONE, 'sqs:SendMessage', queueArn))).toEqual(['api', 'dispatcher']);
    expect(allowedOnly(await decide(EVERYONE, 'sqs:ReceiveMessage', queueArn))).toEqual(['execute']);
    const executeFn = () => iam.r.getAtt(one('AWS::Lambda::Function', 'ExecuteFunction'), 'Arn');
    expect(allowedOnly(await decide(EVERYONE, 'lambda:InvokeFunction', executeFn))).toEqual([]);
  });

  it('the triage machine: only the API starts it (synchronously), and only the machine invokes the stages', async () => {
    const machine = () => iam.r.ref(one('AWS::StepFunctions::StateMachine', 'TriageMachine'));
    expect(allowedOnly(await decide(EVERYONE, 'states:StartSyncExecution', machine))).toEqual(['api']);
    expect(allowedOnly(await decide(EVERYONE, 'states:StartExecution', machine))).toEqual([]);
    for (const stage of ['SanitiseFunction', 'ClassifyFunction']) {
      expect(allowedOnly(await decide(EVERYONE, 'lambda:InvokeFunction', () => iam.r.getAtt(one('AWS::Lambda::Function', stage), 'Arn')))).toEqual(['triageMachine']);
    }
  });

  it('table writes: api, execute and dispatcher only; the audit table is never updated or deleted from, by anyone', async () => {
    expect(allowedOnly(await decide(EVERYONE, 'dynamodb:PutItem', () => tableArn('MainTable')))).toEqual(['api', 'dispatcher', 'execute']);
    expect(allowedOnly(await decide(EVERYONE, 'dynamodb:PutItem', () => tableArn('AuditTable')))).toEqual(['api', 'dispatcher', 'execute']);
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      const answers = await decide(EVERYONE, action, () => tableArn('AuditTable'));
      for (const n of ['api', 'dispatcher', 'execute']) expect([n, answers[n]]).toEqual([n, 'ExplicitlyDenied']);
      expect(allowedOnly(answers)).toEqual([]);
    }
    // the triage stages cannot even read the tables
    expect(allowedOnly(await decide(['sanitise', 'classify'], 'dynamodb:GetItem', () => tableArn('MainTable')))).toEqual([]);
  });

  it('execute-api: each principal reaches exactly its routes; the agent never reaches the admin routes', async () => {
    const apiId = iam.r.ref(one('AWS::ApiGateway::RestApi', 'Api'));
    for (const route of GATEWAY_ROUTES) {
      if (route.access === 'public') continue;
      const arn = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/${STAGE_NAME}/${invokeTail(route).replace(/\*/g, 'sg_1')}`;
      const answers = await decide(PRINCIPALS, 'execute-api:Invoke', () => arn);
      expect([route.method, route.resourcePath, allowedOnly(answers)]).toEqual([route.method, route.resourcePath, [...route.access].sort()]);
    }
    const settings = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/${STAGE_NAME}/PUT/v1/settings`;
    expect(await iam.can(who('agent'), 'execute-api:Invoke', settings)).not.toBe('Allowed');
    // service roles have no business calling the API
    expect(allowedOnly(await decide(SERVICE_ROLES, 'execute-api:Invoke', () => settings))).toEqual([]);
    expect((PRINCIPALS as readonly Principal[]).length).toBe(3);
  });
});
