import { createBackendClient, staticCredentials } from '../src';
import { SETTINGS_VIEW, SUGGESTION_ID, expectedSignature, parseAuthorization, reply, startServer, suggestion, type TestServer } from './support';

const REGION = 'eu-west-1';
const SERVICE = 'execute-api';
const TEMP = { accessKeyId: 'ASIATESTTEMPORARY0001', secretAccessKey: 'temp-secret-key-0123456789abcdef', sessionToken: 'IQoJb3JpZ2luX2VjEJr//session+token==' };
const LONG_TERM = { accessKeyId: ['AKIA', 'TESTLONGTERM0001'].join('') /* fake; split so no key-shaped literal is committed */, secretAccessKey: 'long-term-secret-0123456789abcdef' };
const IDENTITY = { accountId: '5b10ac8d82e05b22cc7d4ef5', site: 'acme.atlassian.net' };

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function lastRequest() {
  const req = server.requests[server.requests.length - 1];
  if (!req) throw new Error('no request reached the server');
  return req;
}

describe('SigV4 signing, checked by an independent signer', () => {
  test('a POST with identity and idempotency key: signature matches and every header we set is signed', async () => {
    server.handle((_req, res) => reply(res, 200, { suggestion: suggestion({ state: 'approved' }) }));
    const client = createBackendClient({ endpoint: server.url, region: REGION, credentials: staticCredentials(TEMP), identity: { ...IDENTITY, role: 'admin' } });

    await client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) }, { idempotencyKey: 'key-1234' });

    const req = lastRequest();
    const auth = parseAuthorization(req.headers['authorization']);
    expect(auth.signature).toBe(await expectedSignature(req, TEMP, { region: REGION, service: SERVICE, port: server.port }));
    expect(auth.signedHeaders).toEqual([
      'content-type',
      'host',
      'idempotency-key',
      'x-amz-date',
      'x-amz-security-token',
      'x-pm-account-id',
      'x-pm-role',
      'x-pm-site',
    ]);
    expect(auth).toMatchObject({ accessKeyId: TEMP.accessKeyId, region: REGION, service: SERVICE, date: req.headers['x-amz-date']?.slice(0, 8) });
    expect(req.headers['x-amz-security-token']).toBe(TEMP.sessionToken);
    expect(req.headers['x-pm-account-id']).toBe(IDENTITY.accountId);
    expect(req.headers['x-pm-site']).toBe(IDENTITY.site);
    expect(req.headers['x-pm-role']).toBe('admin');
    expect(req.headers['idempotency-key']).toBe('key-1234');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ payloadHash: 'a'.repeat(64) });
  });

  test('a GET with a query string and long-term keys: no session token, no content-type, signature matches', async () => {
    server.handle((_req, res) => reply(res, 200, { items: [] }));
    const client = createBackendClient({ endpoint: server.url, region: REGION, credentials: staticCredentials(LONG_TERM), identity: IDENTITY });

    await client.listSuggestions({ issueKey: 'ABC-12', state: 'pending' });

    const req = lastRequest();
    const auth = parseAuthorization(req.headers['authorization']);
    expect(auth.signature).toBe(await expectedSignature(req, LONG_TERM, { region: REGION, service: SERVICE, port: server.port }));
    expect(auth.signedHeaders).toEqual(['host', 'x-amz-date', 'x-pm-account-id', 'x-pm-site']);
    expect(req.headers['x-amz-security-token']).toBeUndefined();
    expect(req.query.get('issueKey')).toBe('ABC-12');
    expect(req.query.get('state')).toBe('pending');
  });

  test('a PUT under an endpoint base path, with a custom service and user agent', async () => {
    server.handle((_req, res) => reply(res, 200, SETTINGS_VIEW));
    const client = createBackendClient({
      endpoint: `${server.url}/prod/`,
      region: 'us-east-1',
      service: 'pm-agent',
      credentials: staticCredentials(TEMP),
      userAgent: 'pm-agent-forge/1.2.3',
    });

    await client.updateSettings(SETTINGS_VIEW.settings, SETTINGS_VIEW.version);

    const req = lastRequest();
    expect(req.method).toBe('PUT');
    expect(req.path).toBe('/prod/v1/settings');
    const auth = parseAuthorization(req.headers['authorization']);
    expect(auth.service).toBe('pm-agent');
    expect(auth.signedHeaders).toContain('x-amz-user-agent');
    expect(req.headers['x-amz-user-agent']).toBe('pm-agent-forge/1.2.3');
    expect(auth.signature).toBe(await expectedSignature(req, TEMP, { region: 'us-east-1', service: 'pm-agent', port: server.port }));
  });

  test('the verifier is not vacuous: a wrong secret or a changed body gives another signature', async () => {
    server.handle((_req, res) => reply(res, 200, { suggestion: suggestion({ state: 'stopped' }) }));
    const client = createBackendClient({ endpoint: server.url, region: REGION, credentials: staticCredentials(TEMP) });
    await client.stopSuggestion(SUGGESTION_ID);
    const req = lastRequest();
    const actual = parseAuthorization(req.headers['authorization']).signature;
    const opts = { region: REGION, service: SERVICE, port: server.port };

    expect(await expectedSignature(req, TEMP, opts)).toBe(actual);
    expect(await expectedSignature(req, { ...TEMP, secretAccessKey: 'other' }, opts)).not.toBe(actual);
    expect(await expectedSignature({ ...req, body: '{"x":1}' }, TEMP, opts)).not.toBe(actual);
  });
});
