import { PRINCIPALS, type Principal } from '@pm-agent/shared';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { DISPATCH_SCHEDULE_MINUTES, EXECUTE_MAX_RECEIVES, FUNCTION_NAMES, FUNCTIONS, type FunctionName } from './functions';
import { applySuppressions } from './nag-suppressions';
import { GATEWAY_ROUTES, PRINCIPAL_ROUTES, invokeTail } from './route-policy';
import type { DeploySettings } from './settings';
import { APPEND_ONLY_DENIED, TABLES } from './tables';

export interface PmAgentStackProps extends StackProps {
  settings: DeploySettings;
  /** Each function's code: the esbuild bundles in the app, a stand-in in template tests. */
  code: (fn: FunctionName) => lambda.Code;
}

/** Names the stack gives things, so tests and the apps' build read them from one place. */
export const OUTPUTS = {
  apiUrl: 'ApiUrl',
  apiHost: 'ApiHost',
  region: 'Region',
  forgeUserName: 'ForgeUserName',
  outlookRoleArn: 'OutlookRoleArn',
  agentRoleArn: 'AgentRoleArn',
  jiraSecretArn: 'JiraSecretArn',
  anthropicSecretArn: 'AnthropicSecretArn',
  entraTenantId: 'EntraTenantId',
  entraClientId: 'EntraClientId',
  jiraSite: 'JiraSite',
} as const;

export const STAGE_NAME = 'v1';
export const THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;
/** Requests per 5 minutes from one IP before WAF blocks it. */
export const WAF_RATE_LIMIT = 1000;
export const LOG_RETENTION = logs.RetentionDays.THREE_MONTHS;
/** Minutes a secret stays cached in a function's memory. */
export const SECRET_CACHE_MINUTES = 5;

export class PmAgentStack extends Stack {
  readonly key: kms.Key;
  readonly roles = {} as Record<FunctionName, iam.Role>;
  readonly functions = {} as Record<FunctionName, lambda.Function>;
  readonly principals: { forge: iam.User; outlook: iam.Role; agent: iam.Role };

  constructor(scope: Construct, id: string, props: PmAgentStackProps) {
    super(scope, id, props);
    const { settings } = props;
    Tags.of(this).add('app', 'pm-agent');

    // ---- one customer-managed key --------------------------------------------------------------
    // The key policy delegates key administration to the account, but not its use: every
    // Decrypt/GenerateDataKey is granted below per role and per service (kms:ViaService).
    // The key policy is written out whole at the end (keyPolicy below): CDK's own additions (for
    // example "the whole account may decrypt through Secrets Manager") are replaced, so the
    // statements here are all there is.
    this.key = new kms.Key(this, 'Key', { description: 'pm-agent: secrets, tables, queues, logs', enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    const keyPolicy: iam.PolicyStatement[] = [
      new iam.PolicyStatement({
        sid: 'KeyAdministrationByTheAccount',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:CreateGrant'],
        resources: ['*'], // in a key policy "*" means this key
      }),
      new iam.PolicyStatement({
        sid: 'AdminsPutSecretValues',
        principals: [new iam.AccountRootPrincipal()],
        actions: ['kms:Encrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
      new iam.PolicyStatement({
        sid: 'AlarmsPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'LogsEncryptThisStacksLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*` } },
      }),
    ];

    // ---- secrets: values put after deploy, read at run time, never in environment variables ----
    const jiraSecret = new secretsmanager.Secret(this, 'JiraSecret', {
      secretName: `${this.stackName}/jira`,
      description: 'pm-agent: Jira API credentials {"email","apiToken"}; read by the execute function only',
      // Empty until an admin puts the real values (infra/README.md); the function says so when it runs.
      generateSecretString: { secretStringTemplate: JSON.stringify({ email: '', apiToken: '' }), generateStringKey: 'unused' },
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const anthropicSecret = new secretsmanager.Secret(this, 'AnthropicSecret', {
      secretName: `${this.stackName}/anthropic`,
      description: 'pm-agent: Anthropic API key {"apiKey"}; read by the triage functions only',
      // Empty until an admin puts the key: triage runs the offline classifier meanwhile.
      generateSecretString: { secretStringTemplate: JSON.stringify({ apiKey: '' }), generateStringKey: 'unused' },
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ---- tables ------------------------------------------------------------------------------
    const tables = TABLES.map((design) => {
      const table = new dynamodb.Table(this, `${design.id}Table`, {
        tableName: tableName(this.stackName, design.id),
        partitionKey: design.partitionKey,
        ...(design.sortKey ? { sortKey: design.sortKey } : {}),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(design.ttlAttribute ? { timeToLiveAttribute: design.ttlAttribute } : {}),
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const gsi of design.globalIndexes) table.addGlobalSecondaryIndex({ ...gsi, projectionType: dynamodb.ProjectionType.ALL });
      return { design, table };
    });
    const tableEnv = Object.fromEntries(tables.map(({ design, table }) => [design.env, table.tableName]));
    // By name, not by reference: the boundary and the key policy would otherwise form a cycle.
    const appendOnlyArns = tables.filter((t) => t.design.appendOnly).flatMap(({ design }) => {
      const arn = `arn:${Aws.PARTITION}:dynamodb:${Aws.REGION}:${Aws.ACCOUNT_ID}:table/${tableName(this.stackName, design.id)}`;
      return [arn, `${arn}/index/*`];
    });

    // ---- permission boundary: the most any role or user of this stack can ever do ----------
    const boundary = new iam.ManagedPolicy(this, 'Boundary', {
      description: 'pm-agent: permission boundary for every role and user of the stack',
      statements: [
        new iam.PolicyStatement({
          sid: 'ServicesTheStackUses',
          actions: [
            'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable',
            'secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret',
            'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:DescribeKey',
            'sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ChangeMessageVisibility',
            'states:StartSyncExecution', 'lambda:InvokeFunction',
            'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
            'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets',
            'execute-api:Invoke',
          ],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ sid: 'NoIdentityChanges', effect: iam.Effect.DENY, actions: ['iam:*', 'sts:AssumeRole', 'organizations:*', 'account:*'], resources: ['*'] }),
        new iam.PolicyStatement({ sid: 'AuditTableIsAppendOnly', effect: iam.Effect.DENY, actions: [...APPEND_ONLY_DENIED], resources: appendOnlyArns }),
      ],
    });
    iam.PermissionsBoundary.of(this).apply(boundary);

    // ---- functions: one role each ------------------------------------------------------------
    for (const name of FUNCTION_NAMES) {
      const spec = FUNCTIONS[name];
      const role = new iam.Role(this, `${cap(name)}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: `pm-agent ${name} function` });
      // Explicit deny, whatever else is granted: nobody updates or deletes audit items.
      role.addToPolicy(new iam.PolicyStatement({ sid: 'AuditTableIsAppendOnly', effect: iam.Effect.DENY, actions: [...APPEND_ONLY_DENIED], resources: appendOnlyArns }));
      const logGroup = new logs.LogGroup(this, `${cap(name)}Logs`, { retention: LOG_RETENTION, encryptionKey: this.key, removalPolicy: RemovalPolicy.DESTROY });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn, `${logGroup.logGroupArn}:*`] }));
      const fn = new lambda.Function(this, `${cap(name)}Function`, {
        description: spec.description,
        runtime: lambda.Runtime.NODEJS_22_X,
        architecture: lambda.Architecture.ARM_64,
        handler: 'index.handler',
        code: props.code(name),
        role,
        memorySize: spec.memoryMb,
        timeout: Duration.seconds(spec.timeoutSeconds),
        tracing: lambda.Tracing.ACTIVE,
        logGroup,
        loggingFormat: lambda.LoggingFormat.JSON,
        environment: { NODE_OPTIONS: '--enable-source-maps', PM_AGENT_SECRET_CACHE_MINUTES: String(SECRET_CACHE_MINUTES) },
      });
      this.roles[name] = role;
      this.functions[name] = fn;
    }
    const { api: apiFn, sanitise, classify, execute, dispatcher } = this.functions;

    // Secrets: each readable by its roles only: identity policy, resource policy deny for anyone
    // else, and a key policy statement bound to that secret's ARN.
    const readers = (secret: secretsmanager.Secret, secretName: string, envName: string, fns: FunctionName[]) => {
      for (const f of fns) {
        secret.grantRead(this.roles[f]);
        this.functions[f].addEnvironment(envName, secret.secretArn);
        keyPolicy.push(new iam.PolicyStatement({
          sid: `${cap(f)}DecryptsItsSecret`,
          principals: [this.roles[f]],
          actions: ['kms:Decrypt'],
          resources: ['*'],
          // By name pattern, not ARN: the secret already refers to the key (a cycle otherwise).
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` },
            StringLike: { 'kms:EncryptionContext:SecretARN': `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretName}-??????` },
          },
        }));
      }
      secret.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'OnlyItsReaders',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['*'],
        conditions: { StringNotEquals: { 'aws:PrincipalArn': fns.map((f) => this.roles[f].roleArn) } },
      }));
    };
    readers(jiraSecret, `${this.stackName}/jira`, 'PM_AGENT_JIRA_SECRET_ARN', ['execute']);
    readers(anthropicSecret, `${this.stackName}/anthropic`, 'PM_AGENT_ANTHROPIC_SECRET_ARN', ['sanitise', 'classify']);
    execute.addEnvironment('PM_AGENT_JIRA_BASE_URL', settings.jiraSite);

    // Tables: the API, execute and dispatcher functions; never the triage stages.
    const keyUse = (f: FunctionName, service: 'dynamodb' | 'sqs', actions: string[]) =>
      keyPolicy.push(new iam.PolicyStatement({
        sid: `${cap(f)}Uses${cap(service)}`,
        principals: [this.roles[f]],
        actions,
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${Aws.REGION}.amazonaws.com` } },
      }));
    for (const f of ['api', 'execute', 'dispatcher'] as const) {
      for (const { table } of tables) table.grantReadWriteData(this.roles[f]);
      for (const [k, v] of Object.entries(tableEnv)) this.functions[f].addEnvironment(k, v);
      this.functions[f].addEnvironment('PM_AGENT_STORE', 'dynamodb');
      keyUse(f, 'dynamodb', ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey']);
    }

    // ---- triage: Express state machine sanitise → classify ------------------------------------
    const sfnLogs = new logs.LogGroup(this, 'TriageMachineLogs', { retention: LOG_RETENTION, encryptionKey: this.key, removalPolicy: RemovalPolicy.DESTROY });
    const sfnRole = new iam.Role(this, 'TriageMachineRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com'), description: 'pm-agent triage state machine' });
    sfnRole.addToPolicy(new iam.PolicyStatement({ sid: 'AuditTableIsAppendOnly', effect: iam.Effect.DENY, actions: [...APPEND_ONLY_DENIED], resources: appendOnlyArns }));
    const stage = (id: string, fn: lambda.IFunction, resultPath: string, payload?: sfn.TaskInput) =>
      new tasks.LambdaInvoke(this, id, { lambdaFunction: fn, payloadResponseOnly: true, resultPath, retryOnServiceExceptions: true, ...(payload ? { payload } : {}) });
    // Classify gets sanitise's reply and its settings only: the raw email ($.sanitise) stays behind.
    const classifyInput = sfn.TaskInput.fromObject({ sanitised: sfn.JsonPath.objectAt('$.sanitised'), classify: sfn.JsonPath.objectAt('$.classify') });
    const machine = new sfn.StateMachine(this, 'TriageMachine', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      role: sfnRole,
      definitionBody: sfn.DefinitionBody.fromChainable(stage('Sanitise', sanitise, '$.sanitised').next(stage('Classify', classify, '$.classified', classifyInput))),
      timeout: Duration.seconds(60),
      tracingEnabled: true,
      // Execution data would hold the raw email: logged as events only.
      logs: { destination: sfnLogs, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    apiFn.addEnvironment('PM_AGENT_TRIAGE_MACHINE_ARN', machine.stateMachineArn);
    // Ask the stages to use the model; they use it only once the Anthropic secret holds a key.
    apiFn.addEnvironment('PM_AGENT_MODEL_ENABLED', 'true');
    this.roles.api.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartSyncExecution'], resources: [machine.stateMachineArn] }));

    // ---- execute: queue + dead-letter queue; dispatcher on a schedule ---------------------------
    const dlq = new sqs.Queue(this, 'ExecuteDeadLetters', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: this.key, enforceSSL: true, retentionPeriod: Duration.days(14) });
    const queue = new sqs.Queue(this, 'ExecuteQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(FUNCTIONS.execute.timeoutSeconds * 6),
      deadLetterQueue: { queue: dlq, maxReceiveCount: EXECUTE_MAX_RECEIVES },
    });
    execute.addEventSource(new SqsEventSource(queue, { batchSize: 5, reportBatchItemFailures: true }));
    keyUse('execute', 'sqs', ['kms:Decrypt']);
    for (const f of ['api', 'dispatcher'] as const) {
      queue.grantSendMessages(this.roles[f]);
      this.functions[f].addEnvironment('PM_AGENT_EXECUTE_QUEUE_URL', queue.queueUrl);
      keyUse(f, 'sqs', ['kms:Decrypt', 'kms:GenerateDataKey']);
    }
    new events.Rule(this, 'DispatchEveryMinute', {
      description: 'pm-agent: hold timers and approved suggestions go to the execute queue within a minute',
      schedule: events.Schedule.rate(Duration.minutes(DISPATCH_SCHEDULE_MINUTES)),
      targets: [new targets.LambdaFunction(dispatcher, { retryAttempts: 0 })],
    });

    // ---- principals ----------------------------------------------------------------------------
    const forge = new iam.User(this, 'ForgeUser', {});
    Tags.of(forge).add('forge-installation', settings.forgeInstallation);
    const tenantIssuer = `login.microsoftonline.com/${settings.entraTenantId}/v2.0`;
    const oidc = new iam.CfnOIDCProvider(this, 'EntraIdProvider', { url: `https://${tenantIssuer}`, clientIdList: [settings.entraClientId] });
    const outlook = new iam.Role(this, 'OutlookRole', {
      description: 'pm-agent: Outlook users, through AssumeRoleWithWebIdentity with an Entra ID token',
      maxSessionDuration: Duration.hours(1),
      // The tenant is pinned by the provider itself: its URL is the tenant's issuer, and STS
      // accepts only tokens whose `iss` is exactly that (IAM has no condition key for `tid`).
      // The condition pins the audience: tokens issued for this add-in's app only.
      assumedBy: new iam.WebIdentityPrincipal(oidc.attrArn, { StringEquals: { [`${tenantIssuer}:aud`]: settings.entraClientId } }),
    });
    const agent = new iam.Role(this, 'AgentRole', {
      description: 'pm-agent: the agent runtime creating suggestions',
      maxSessionDuration: Duration.hours(1),
      assumedBy: settings.agentPrincipalArn ? new iam.ArnPrincipal(settings.agentPrincipalArn) : new iam.AccountRootPrincipal(),
    });
    this.principals = { forge, outlook, agent };

    // ---- API Gateway ---------------------------------------------------------------------------
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', { retention: LOG_RETENTION, encryptionKey: this.key, removalPolicy: RemovalPolicy.DESTROY });
    const api = new apigw.RestApi(this, 'Api', {
      description: 'pm-agent approvals API',
      cloudWatchRole: false,
      endpointConfiguration: { types: [apigw.EndpointType.REGIONAL] },
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: THROTTLE.rateLimit,
        throttlingBurstLimit: THROTTLE.burstLimit,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({ caller: true, httpMethod: true, ip: true, protocol: true, requestTime: true, resourcePath: true, responseLength: true, status: true, user: true }),
      },
    });
    const integration = new apigw.LambdaIntegration(apiFn, { proxy: true });
    for (const route of GATEWAY_ROUTES) {
      const resource = api.root.resourceForPath(route.resourcePath);
      resource.addMethod(route.method, integration, {
        authorizationType: route.access === 'public' ? apigw.AuthorizationType.NONE : apigw.AuthorizationType.IAM,
      });
    }
    const invokeArn = (tail: string) => `arn:${Aws.PARTITION}:execute-api:${Aws.REGION}:${Aws.ACCOUNT_ID}:${api.restApiId}/${STAGE_NAME}/${tail}`;
    const grants: Record<Principal, iam.IIdentity> = { forge, outlook, agent };
    for (const p of PRINCIPALS) {
      grants[p].attachInlinePolicy(new iam.Policy(this, `${cap(p)}InvokesItsRoutes`, {
        statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: PRINCIPAL_ROUTES[p].map((r) => invokeArn(invokeTail(r))) })],
      }));
    }
    // Which IAM identity is which principal (names as in IAM), and whose tokens name Outlook users.
    apiFn.addEnvironment('PM_AGENT_ROLES', this.toJsonString({ forge: forge.userName, outlook: outlook.roleName, agent: agent.roleName }));
    apiFn.addEnvironment('PM_AGENT_OUTLOOK_OIDC', JSON.stringify({
      issuer: `https://${tenantIssuer}`,
      audience: settings.entraClientId,
      jwksUri: `https://login.microsoftonline.com/${settings.entraTenantId}/discovery/v2.0/keys`,
    }));
    apiFn.addEnvironment('PM_AGENT_CORS_ORIGINS', settings.allowedOrigins.join(','));

    // ---- WAF on the stage ----------------------------------------------------------------------
    const managed = (name: string, priority: number, excluded: string[] = []): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ...(excluded.length ? { ruleActionOverrides: excluded.map((n) => ({ name: n, actionToUse: { count: {} } })) } : {}) } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
    });
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'pm-agent', sampledRequestsEnabled: true },
      rules: [
        // The common set blocks bodies over 8 KB; an email for triage may be larger (the app limits bodies itself).
        managed('AWSManagedRulesCommonRuleSet', 1, ['SizeRestrictions_BODY']),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 2),
        {
          name: 'RatePerIp',
          priority: 3,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: WAF_RATE_LIMIT, aggregateKeyType: 'IP' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'RatePerIp', sampledRequestsEnabled: true },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclOnStage', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });

    // ---- alarms ------------------------------------------------------------------------------
    const topic = new sns.Topic(this, 'Alarms', { masterKey: this.key, enforceSSL: true });
    if (settings.alarmEmail) topic.addSubscription(new subs.EmailSubscription(settings.alarmEmail));
    const alarm = (id: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, id, { metric, threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription: description }).addAlarmAction(new cwActions.SnsAction(topic));
    alarm('Api5xx', api.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), 'The API answered 5xx');
    for (const name of FUNCTION_NAMES) {
      alarm(`${cap(name)}Errors`, this.functions[name].metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), `${name} function errors`);
      alarm(`${cap(name)}Throttles`, this.functions[name].metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), `${name} function throttled`);
    }
    alarm('DeadLetters', dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }), 'An execute message failed 3 times and waits in the dead-letter queue');
    const capFilter = new logs.MetricFilter(this, 'ModelCapFilter', {
      logGroup: this.functions.api.logGroup as logs.ILogGroup,
      // The API logs {"event":"model.cap_reached"} as its message (Lambda's JSON log format wraps it).
      filterPattern: logs.FilterPattern.stringValue('$.message', '=', '*model.cap_reached*'),
      metricNamespace: 'pm-agent',
      metricName: 'ModelCapReached',
      metricValue: '1',
    });
    alarm('ModelCapReached', capFilter.metric({ period: Duration.minutes(5), statistic: 'Sum' }), 'The daily model budget was reached: triage runs without the model until tomorrow');

    // ---- outputs: what the apps are built from ---------------------------------------------------
    const out = (k: keyof typeof OUTPUTS, value: string, description: string) => new CfnOutput(this, OUTPUTS[k], { value, description });
    out('apiUrl', api.urlForPath('/'), 'API base URL (ends with the stage)');
    out('apiHost', `${api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, 'API host: PM_AGENT_BACKEND_HOST for the Forge manifest');
    out('region', Aws.REGION, 'Region the API signs for');
    out('forgeUserName', forge.userName, 'Create an access key for this user and enter it on the Jira admin page');
    out('outlookRoleArn', outlook.roleArn, 'Role the Outlook pane assumes with its Entra ID token');
    out('agentRoleArn', agent.roleArn, 'Role the agent runtime assumes');
    out('jiraSecretArn', jiraSecret.secretArn, 'Put {"email","apiToken"} here');
    out('anthropicSecretArn', anthropicSecret.secretArn, 'Put {"apiKey"} here');
    out('entraTenantId', settings.entraTenantId, 'Entra ID tenant');
    out('entraClientId', settings.entraClientId, 'Entra ID app (client) id');
    out('jiraSite', settings.jiraSite, 'Jira site the execute function acts on');

    (this.key.node.defaultChild as kms.CfnKey).addPropertyOverride('KeyPolicy', new iam.PolicyDocument({ statements: keyPolicy }).toJSON());

    applySuppressions(this, STAGE_NAME, { boundary, roles: { ...this.roles, triageMachine: sfnRole }, principalPolicies: PRINCIPALS.map((p) => this.node.findChild(`${cap(p)}InvokesItsRoutes`)) });
  }
}

export function tableName(stackName: string, id: string): string {
  return `${stackName}-${id.toLowerCase()}`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
