import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, payloadHash } from '@pm-agent/shared';
import { DYNAMODB_LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/dynamodb-local';
import { startJiraDouble, type JiraDouble } from '@pm-agent/dev-stack/jira-double';
import { ensureTables } from '../../src/store/dynamodb/create-tables';
import type { SqsEvent } from '../../src/aws/sqs-batch';
import { startAwsStandIn, type AwsStandIn } from './support/aws-json-standin';
import { ACCOUNT, gatewayEvent, type Identity } from './support/gateway-events';

/**
 * The AWS execute path with every Lambda handler in-process, each given the event its trigger
 * sends: API Gateway proxy events (agent creates, forge approves), the EventBridge scheduled event
 * (dispatcher), SQS batches (execute), against DynamoDB Local, the Jira double, and a loopback
 * stand-in for Secrets Manager and SQS behind the real SDK clients.
 */
const JIRA = { email: 'pm-agent@acme.example.org', apiToken: randomBytes(12).toString('hex') };
const JIRA_SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:PmAgent/jira-AbCdEf`;
const NAMES = { forge: 'PmAgent-ForgeUser-1', outlook: 'PmAgent-OutlookRole-1', agent: 'PmAgent-AgentRole-1' };
const FORGE: Identity = { kind: 'user', name: NAMES.forge };
const AGENT: Identity = { kind: 'assumed-role', role: NAMES.agent, session: 'agent-run-1' };
const ACCOUNT_ID = '712020:0e5f3a1c-aws-pat-morgan';
const forgeHeaders = (admin = false) => ({ 'x-pm-account-id': ACCOUNT_ID, 'x-pm-site': 'acme.atlassian.net', ...(admin ? { 'x-pm-role': 'admin' } : {}) });

let ddb: DynamoDbLocal;
let jira: JiraDouble;
let aws: AwsStandIn;
/** What was sent to the execute queue, as SQS would deliver it. */
const queue: Array<{ messageId: string; body: string }> = [];
let handlers: {
  api: typeof import('../../src/aws/lambda-entry').handler;
  dispatcher: typeof import('../../src/aws/dispatcher-handler').handler;
  execute: typeof import('../../src/aws/execute-handler').handler;
};

beforeAll(async () => {
  ddb = await startDynamoDbLocal({});
  const prefix = `e${randomBytes(4).toString('hex')}`;
  const tables = { main: `${prefix}-main`, audit: `${prefix}-audit` };
  await ensureTables({ region: 'local', endpoint: ddb.endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, tables });
  jira = await startJiraDouble({ port: 0, ...JIRA });
  aws = await startAwsStandIn({
    'secretsmanager.GetSecretValue': (body) => ({ ARN: body.SecretId, Name: 'PmAgent/jira', SecretString: JSON.stringify(JIRA) }),
    'AmazonSQS.SendMessageBatch': (body) => ({
      Successful: body.Entries.map((e: { Id: string; MessageBody: string }) => {
        const messageId = randomBytes(8).toString('hex');
        queue.push({ messageId, body: e.MessageBody });
        return { Id: e.Id, MessageId: messageId, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') };
      }),
      Failed: [],
    }),
  });
  Object.assign(process.env, {
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: DYNAMODB_LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint,
    AWS_ENDPOINT_URL_SQS: aws.endpoint,
    PM_AGENT_STORE: 'dynamodb',
    PM_AGENT_DYNAMODB_TABLE: tables.main,
    PM_AGENT_DYNAMODB_AUDIT_TABLE: tables.audit,
    PM_AGENT_DYNAMODB_ENDPOINT: ddb.endpoint,
    PM_AGENT_ROLES: JSON.stringify(NAMES),
    PM_AGENT_JIRA_BASE_URL: jira.url,
    PM_AGENT_JIRA_SECRET_ARN: JIRA_SECRET,
    PM_AGENT_EXECUTE_QUEUE_URL: `${aws.endpoint}/${ACCOUNT}/execute`,
  });
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  handlers = {
    api: (await import('../../src/aws/lambda-entry')).handler,
    dispatcher: (await import('../../src/aws/dispatcher-handler')).handler,
    execute: (await import('../../src/aws/execute-handler')).handler,
  };
}, 120_000);

afterAll(async () => {
  await aws?.close();
  await jira?.close();
  await ddb?.stop();
});

const scheduledEvent = () => ({ version: '0', id: randomBytes(8).toString('hex'), 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, time: new Date().toISOString(), region: 'eu-west-1', resources: [`arn:aws:events:eu-west-1:${ACCOUNT}:rule/PmAgent-DispatchEveryMinute`], detail: {} });
const sqsEvent = (records: Array<{ messageId: string; body: string }>): SqsEvent => ({
  Records: records.map((r) => ({ ...r, receiptHandle: `rh-${r.messageId}`, attributes: { ApproximateReceiveCount: '1' }, eventSource: 'aws:sqs', eventSourceARN: `arn:aws:sqs:eu-west-1:${ACCOUNT}:execute`, awsRegion: 'eu-west-1' })),
});
const json = (res: { body: string }) => JSON.parse(res.body);

describe('approve → queue → execute on the AWS handlers', () => {
  let id = '';
  const payload = { issueKey: 'ABC-123', body: 'The payments sandbox moves to 4 December (from the vendor\'s email).' };

  it('an admin (forge) names the approver; the agent creates a suggestion; the forge approver approves it', async () => {
    const read = await handlers.api(gatewayEvent('GET', '/v1/settings', { as: FORGE, headers: forgeHeaders(true) }));
    const { version } = json(read) as { version: number };
    const ifMatch = { 'if-match': `"${version}"` };
    const settings = await handlers.api(gatewayEvent('PUT', '/v1/settings', { as: FORGE, headers: { ...forgeHeaders(true), ...ifMatch }, body: { ...DEFAULT_SETTINGS, approvers: [{ name: 'Jira approver', jiraAccountId: ACCOUNT_ID }] } }));
    expect([settings.statusCode, settings.body]).toEqual([200, expect.any(String)]);
    const created = await handlers.api(gatewayEvent('POST', '/v1/suggestions', { as: AGENT, body: { actionType: 'jira_comment', payload, rationale: 'The deadline moved.', provenance: { source: 'agent', ref: 'run-1', excerpt: '' } } }));
    expect(created.statusCode).toBe(201);
    id = json(created).suggestion.id;
    expect(json(created).suggestion.state).toBe('pending'); // manual autonomy: every action needs a human
    const approved = await handlers.api(gatewayEvent('POST', `/v1/suggestions/${id}/approve`, { as: FORGE, headers: { ...forgeHeaders(), 'idempotency-key': 'approve-1-key' }, body: { payloadHash: await payloadHash(payload) } }));
    expect([approved.statusCode, json(approved).suggestion?.state]).toEqual([200, 'approved']);
  });

  it('a wrong principal is refused by the app too: the agent cannot change settings', async () => {
    const res = await handlers.api(gatewayEvent('PUT', '/v1/settings', { as: AGENT, body: { ...DEFAULT_SETTINGS, autonomyLevel: 'delegated' } }));
    expect(res.statusCode).toBe(403);
  });

  it('the approval itself claimed it and queued one message; the scheduled dispatcher (the same claim, every minute) adds none', async () => {
    expect(queue.map((m) => JSON.parse(m.body))).toEqual([{ suggestionId: id }]);
    expect(await handlers.dispatcher(scheduledEvent())).toEqual({ queued: 0 });
    expect(queue).toHaveLength(1);
  });

  it('the execute function posts the comment once; a replayed message changes nothing; a poison message is reported for the DLQ', async () => {
    const [message] = queue.splice(0);
    const first = await handlers.execute(sqsEvent([message!]));
    expect(first.batchItemFailures).toEqual([]);
    expect(jira.state.comments('ABC-123').filter((c) => JSON.stringify(c).includes('4 December'))).toHaveLength(1);
    const got = await handlers.api(gatewayEvent('GET', `/v1/suggestions/${id}`, { as: FORGE, headers: forgeHeaders() }));
    expect(json(got).suggestion).toMatchObject({ state: 'executed', result: { ok: true } });

    const poison = { messageId: 'poison-1', body: '{"suggestionId": "sug_x", "then": "rm -rf"}' };
    const notJson = { messageId: 'poison-2', body: 'not json' };
    const replay = await handlers.execute(sqsEvent([message!, poison, notJson]));
    expect(replay.batchItemFailures).toEqual([{ itemIdentifier: 'poison-1' }, { itemIdentifier: 'poison-2' }]);
    expect(jira.state.comments('ABC-123').filter((c) => JSON.stringify(c).includes('4 December'))).toHaveLength(1);
  });

  it('undo on AWS: the API reopens the outbox row and queues it; the execute function deletes the comment; a replay changes nothing', async () => {
    const undo = await handlers.api(gatewayEvent('POST', `/v1/suggestions/${id}/undo`, { as: FORGE, headers: { ...forgeHeaders(), 'idempotency-key': 'undo-1-key' }, body: {} }));
    expect([undo.statusCode, json(undo).suggestion?.state]).toEqual([200, 'undoing']);
    expect(queue.map((m) => JSON.parse(m.body))).toEqual([{ suggestionId: id }]);
    const [message] = queue.splice(0);
    expect((await handlers.execute(sqsEvent([message!]))).batchItemFailures).toEqual([]);
    expect(jira.state.comments('ABC-123').filter((c) => JSON.stringify(c).includes('4 December'))).toHaveLength(0);
    const got = await handlers.api(gatewayEvent('GET', `/v1/suggestions/${id}`, { as: FORGE, headers: forgeHeaders() }));
    expect(json(got).suggestion).toMatchObject({ state: 'undone', result: { ok: true, summary: 'Undone: the comment was removed from ABC-123.' } });
    expect((await handlers.execute(sqsEvent([message!]))).batchItemFailures).toEqual([]);
    expect(await handlers.dispatcher(scheduledEvent())).toEqual({ queued: 0 });
  });
});
