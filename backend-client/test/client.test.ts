import { AuditPageSchema, HealthSchema, SettingsViewSchema, SuggestionSchema } from '@pm-agent/shared';
import { ConflictError, InvalidRequestError, createBackendClient, staticCredentials, type BackendClient } from '../src';
import { AUDIT_PAGE, HEALTH, SETTINGS_VIEW, SUGGESTION_ID, reply, startServer, suggestion, type TestServer } from './support';

const CREDS = staticCredentials({ accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret-key' });

let server: TestServer;
let client: BackendClient;
beforeAll(async () => {
  server = await startServer();
  client = createBackendClient({ endpoint: server.url, region: 'eu-west-1', credentials: CREDS });
});
afterAll(() => server.close());

test('fixtures are valid against the shared schemas (so the tests below test the client, not the fixtures)', () => {
  expect(SuggestionSchema.safeParse(suggestion()).success).toBe(true);
  expect(HealthSchema.safeParse(HEALTH).success).toBe(true);
  expect(SettingsViewSchema.safeParse(SETTINGS_VIEW).success).toBe(true);
  expect(AuditPageSchema.safeParse(AUDIT_PAGE).success).toBe(true);
});

describe('one method per route: method, path, query, body and the parsed answer', () => {
  test('health', async () => {
    server.handle((_req, res) => reply(res, 200, HEALTH));
    await expect(client.health()).resolves.toEqual(HEALTH);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/health']);
  });

  test('createSuggestion posts the request and unwraps the 201 envelope', async () => {
    server.handle((_req, res) => reply(res, 201, { suggestion: suggestion() }));
    const request = {
      actionType: 'jira_comment' as const,
      payload: { issueKey: 'ABC-1', body: 'Status update' },
      rationale: 'Keeps the issue current',
      provenance: { source: 'jira_issue' as const, ref: 'ABC-1', excerpt: 'Please update' },
    };
    await expect(client.createSuggestion(request)).resolves.toEqual(suggestion());
    const req = server.requests[0];
    expect(`${req?.method} ${req?.path}`).toBe('POST /v1/suggestions');
    expect(JSON.parse(req?.body ?? '')).toEqual(request);
  });

  test('listSuggestions sends only the filters given', async () => {
    server.handle((_req, res) => reply(res, 200, { items: [suggestion()] }));
    await expect(client.listSuggestions({ state: 'scheduled' })).resolves.toEqual({ items: [suggestion()] });
    await client.listSuggestions();
    expect(server.requests.map((r) => [r.path, r.query.toString()])).toEqual([
      ['/v1/suggestions', 'state=scheduled'],
      ['/v1/suggestions', ''],
    ]);
  });

  test('getSuggestion, approve, reject, stop', async () => {
    server.handle((req, res) => reply(res, 200, { suggestion: suggestion({ rationale: `answer to ${req.method} ${req.path}` }) }));
    expect((await client.getSuggestion(SUGGESTION_ID)).rationale).toBe(`answer to GET /v1/suggestions/${SUGGESTION_ID}`);
    expect((await client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'c'.repeat(64), payload: { issueKey: 'ABC-1', body: 'edited' } })).rationale).toBe(
      `answer to POST /v1/suggestions/${SUGGESTION_ID}/approve`,
    );
    expect((await client.rejectSuggestion(SUGGESTION_ID, { reason: 'Not now' })).rationale).toBe(`answer to POST /v1/suggestions/${SUGGESTION_ID}/reject`);
    expect((await client.stopSuggestion(SUGGESTION_ID)).rationale).toBe(`answer to POST /v1/suggestions/${SUGGESTION_ID}/stop`);
    expect(server.requests.map((r) => r.body)).toEqual([
      '',
      JSON.stringify({ payloadHash: 'c'.repeat(64), payload: { issueKey: 'ABC-1', body: 'edited' } }),
      JSON.stringify({ reason: 'Not now' }),
      '{}',
    ]);
  });

  test('approve and reject get a fresh UUID idempotency key per call unless one is given', async () => {
    server.handle((_req, res) => reply(res, 200, { suggestion: suggestion() }));
    await client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) });
    await client.rejectSuggestion(SUGGESTION_ID, { reason: 'No' });
    await client.rejectSuggestion(SUGGESTION_ID, { reason: 'No' }, { idempotencyKey: 'mine-0001' });
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys[1]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).toBe('mine-0001');
  });

  test('a settings change based on an old version: ConflictError with the current settings', async () => {
    const now = { ...SETTINGS_VIEW, version: 9, settings: { ...SETTINGS_VIEW.settings, paused: true } };
    server.handle((_req, res) => reply(res, 409, { error: 'conflict', message: 'The settings changed since version 3 (now version 9).', current: now }));
    const error = await client.updateSettings({ ...SETTINGS_VIEW.settings, holdDelayMinutes: 5 }, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).currentSettings).toEqual(now);
    expect((error as ConflictError).current).toBeUndefined();
    expect((error as Error).message).toMatch(/settings changed since they were read/);
  });

  test('settings and audit', async () => {
    server.handle((req, res) => reply(res, 200, req.path === '/v1/audit' ? AUDIT_PAGE : SETTINGS_VIEW));
    await expect(client.getSettings()).resolves.toEqual(SETTINGS_VIEW);
    await expect(client.updateSettings({ ...SETTINGS_VIEW.settings, paused: true }, 3)).resolves.toEqual(SETTINGS_VIEW);
    expect(server.requests[1]!.headers['if-match']).toBe('"3"');
    await expect(client.listAudit({ after: 10, limit: 50 })).resolves.toEqual(AUDIT_PAGE);
    expect(server.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`)).toEqual([
      'GET /v1/settings?',
      'PUT /v1/settings?',
      'GET /v1/audit?after=10&limit=50',
    ]);
    expect(JSON.parse(server.requests[1]?.body ?? '').paused).toBe(true);
  });

  test('withIdentity sends the other person', async () => {
    server.handle((_req, res) => reply(res, 200, HEALTH));
    await client.withIdentity({ accountId: 'acc-2', site: 'other.atlassian.net' }).health();
    await client.health();
    expect(server.requests.map((r) => r.headers['x-pm-account-id'])).toEqual(['acc-2', undefined]);
  });
});

describe('refused before sending', () => {
  test('a malformed suggestion id (which could walk the path) is refused and nothing is sent', async () => {
    server.handle((_req, res) => reply(res, 200, { suggestion: suggestion() }));
    await expect(client.getSuggestion('../settings')).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.stopSuggestion('')).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) }, { idempotencyKey: 'has space' })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    expect(server.requests).toHaveLength(0);
  });

  test('bad options are refused at construction', () => {
    const base = { endpoint: server.url, region: 'eu-west-1', credentials: CREDS };
    expect(() => createBackendClient({ ...base, endpoint: 'ftp://x' })).toThrow(TypeError);
    expect(() => createBackendClient({ ...base, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createBackendClient({ ...base, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => createBackendClient({ ...base, identity: { accountId: 'a\nb', site: 's' } })).toThrow(/accountId/);
  });
});
