import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, freePort, startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/dynamodb-local';
import type { ApiGatewayProxyEvent } from '../../src/api/http/lambda';
import { ensureTables } from '../../src/store/dynamodb/create-tables';
import type { DynamoStoreConfig } from '../../src/store/dynamodb/dynamodb-store';
import { openStore, storeConfigFromEnv } from '../../src/store/open-store';
import { StoreUnavailable } from '../../src/store/store';

/**
 * A bad store configuration is one clear error at start, in words that name the problem: a table
 * that does not exist, a wrong region, an endpoint that cannot be reached (refused, or silent).
 * Against Amazon's DynamoDB Local, which keeps each region's tables apart as DynamoDB does.
 */
let local: DynamoDbLocal;
const prefix = `t${randomBytes(5).toString('hex')}`;
const tables = { main: `${prefix}-main`, audit: `${prefix}-audit` };
beforeAll(async () => {
  local = await startDynamoDbLocal({});
  await ensureTables(config());
}, 90_000);
afterAll(() => local?.stop(), 30_000);

function config(over: Partial<DynamoStoreConfig> = {}): DynamoStoreConfig {
  return { region: DYNAMODB_LOCAL_REGION, endpoint: local.endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, tables, ...over };
}

async function openError(c: DynamoStoreConfig): Promise<StoreUnavailable> {
  const e = await openStore({ kind: 'dynamodb', ...c }).then(
    async (s) => {
      await s.close();
      throw new Error('the store opened');
    },
    (err: Error) => err,
  );
  expect(e).toBeInstanceOf(StoreUnavailable);
  return e as StoreUnavailable;
}

describe('opening a DynamoDB store with a bad configuration', () => {
  it('opens when the configuration is right', async () => {
    const store = await openStore({ kind: 'dynamodb', ...config() });
    expect(store.describe).toContain(tables.main);
    await store.close();
  });

  it('names a missing table and where it looked', async () => {
    const e = await openError(config({ tables: { main: 'no-such-table', audit: tables.audit } }));
    expect(e.message).toBe(
      `DynamoDB table no-such-table does not exist at ${local.endpoint} (region local). Create it (infra/ deploys it; the local stack creates it) or fix the table name or region.`,
    );
  });

  it('names the region when the tables are in another one', async () => {
    const e = await openError(config({ region: 'eu-west-1' }));
    expect(e.message).toMatch(new RegExp(`^DynamoDB table ${tables.main} does not exist at .* \\(region eu-west-1\\)\\.`));
  });

  it('says an endpoint that refuses connections cannot be reached', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const e = await openError(config({ endpoint }));
    expect(e.message).toBe(`Could not reach DynamoDB at ${endpoint} (region local): ECONNREFUSED. Is the endpoint right and is DynamoDB running?`);
  });

  it('says an endpoint that accepts but never answers cannot be reached, within its timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket)); // accepts, never answers
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const endpoint = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      const e = await openError(config({ endpoint, timeoutMs: 300 }));
      expect(e.message).toMatch(new RegExp(`^Could not reach DynamoDB at ${endpoint} \\(region local\\): no answer within 0\\.3 s\\. Is the endpoint right`));
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((ok) => silent.close(ok));
    }
  });

  it('reads the configuration from the environment and names a variable that is wrong', () => {
    expect(() => storeConfigFromEnv({ PM_AGENT_STORE: 'dynamodb', AWS_REGION: 'eu-west-1' })).toThrow('Store configuration: PM_AGENT_DYNAMODB_TABLE is not set.');
    expect(() => storeConfigFromEnv({ PM_AGENT_STORE: 'dynamodb', PM_AGENT_DYNAMODB_TABLE: 'pm-agent', AWS_REGION: 'Ireland' })).toThrow(
      'Store configuration: AWS_REGION must be an AWS region such as eu-west-1.',
    );
    expect(() => storeConfigFromEnv({ PM_AGENT_STORE: 'mysql' })).toThrow('Store configuration: PM_AGENT_STORE must be sqlite or dynamodb.');
  });
});

describe('the Lambda entry with a bad store configuration', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  const event = (): ApiGatewayProxyEvent =>
    ({
      httpMethod: 'GET',
      path: '/v1/viewer',
      resource: '/{proxy+}',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { identity: {} },
    }) as unknown as ApiGatewayProxyEvent;

  it.each([
    ['a missing table', () => ({ PM_AGENT_DYNAMODB_TABLE: 'no-such-table', PM_AGENT_DYNAMODB_AUDIT_TABLE: tables.audit }), /DynamoDB table no-such-table does not exist/],
    ['a wrong region', () => ({ AWS_REGION: 'eu-west-1' }), new RegExp(`DynamoDB table ${tables.main} does not exist .*\\(region eu-west-1\\)`)],
    ['an unreachable endpoint', () => ({ PM_AGENT_DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }), /Could not reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(region local\)/],
  ])('%s: one log line at cold start, then 503 without a stack trace on every request', async (_case, over, says) => {
    const keys = DYNAMODB_LOCAL_CREDENTIALS;
    process.env = {
      ...saved,
      PM_AGENT_ROLES: JSON.stringify({ forge: 'forge-user', outlook: 'outlook-role', agent: 'agent-role' }),
      PM_AGENT_STORE: 'dynamodb',
      PM_AGENT_DYNAMODB_TABLE: tables.main,
      PM_AGENT_DYNAMODB_AUDIT_TABLE: tables.audit,
      PM_AGENT_DYNAMODB_ENDPOINT: local.endpoint,
      AWS_REGION: DYNAMODB_LOCAL_REGION,
      AWS_ACCESS_KEY_ID: keys.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
      ...over(),
    };
    const errors: string[] = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.map(String).join(' ')));
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    let handler!: (e: ApiGatewayProxyEvent) => Promise<{ statusCode: number; body: string }>;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = (require('../../src/aws/lambda-entry') as typeof import('../../src/aws/lambda-entry')).handler;
    });
    const answers = [await handler(event()), await handler(event()), await handler(event())];
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^The backend cannot start: /);
    expect(errors[0]).toMatch(says);
    expect(errors[0]).not.toMatch(/\n\s+at /);
    for (const a of answers) {
      expect(a.statusCode).toBe(503);
      expect(JSON.parse(a.body)).toEqual({ error: 'internal', message: 'The backend is not configured correctly; its operator can see why in the logs.' });
    }
  });
});
