import { AbortedError, BackendError, ConflictError, NetworkError, RateLimitError, ServerError, TimeoutError, createBackendClient, staticCredentials, type RetryEvent } from '../src';
import { DEFAULT_BACKOFF, MAX_RETRY_AFTER_MS, backoffDelayMs, isRetryable, parseRetryAfterMs, retryDelayMs } from '../src/retry';
import { HEALTH, SUGGESTION_ID, drop, later, parseAuthorization, reply, startServer, suggestion, type TestServer } from './support';

const CREDS = staticCredentials({ accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret-key' });
const HASH = 'a'.repeat(64);
const CREATE = {
  actionType: 'heartbeat_log' as const,
  payload: { note: 'alive' },
  rationale: 'heartbeat',
  provenance: { source: 'agent' as const, ref: 'run-1', excerpt: 'x' },
};

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A client with near-zero backoff, so retry tests are quick; records each retry. */
function makeClient(extra: { maxRetries?: number; timeoutMs?: number; backoffMs?: number } = {}) {
  const retries: RetryEvent[] = [];
  const client = createBackendClient({
    endpoint: server.url,
    region: 'eu-west-1',
    credentials: CREDS,
    maxRetries: extra.maxRetries ?? 2,
    timeoutMs: extra.timeoutMs ?? 2_000,
    backoff: { initialDelayMs: extra.backoffMs ?? 1, maxDelayMs: extra.backoffMs ?? 1 },
    onRetry: (e) => retries.push(e),
  });
  return { client, retries };
}

const unavailable = (res: Parameters<typeof reply>[0]) => reply(res, 503, { error: 'internal', message: 'try later' });

describe('idempotent calls (GET, PUT settings) are retried', () => {
  test('a GET that gets 503 twice then 200 succeeds on the third attempt', async () => {
    server.handle((_req, res, attempt) => (attempt <= 2 ? unavailable(res) : reply(res, 200, HEALTH)));
    const { client, retries } = makeClient();
    await expect(client.health()).resolves.toEqual(HEALTH);
    expect(server.requests).toHaveLength(3);
    expect(retries.map((r) => [r.attempt, r.error.status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
  });

  test('maxRetries bounds the attempts, and the last error is thrown', async () => {
    server.handle((_req, res) => unavailable(res));
    const { client } = makeClient({ maxRetries: 3 });
    await expect(client.getSettings()).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(4);

    server.handle((_req, res) => unavailable(res));
    await expect(client.getSettings({ maxRetries: 0 })).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });

  test('PUT settings is retried after a dropped connection', async () => {
    server.handle((req, res, attempt) => (attempt === 1 ? drop(res) : reply(res, 200, { settings: JSON.parse(req.body), version: 4, updatedAt: null, updatedBy: null })));
    const { client } = makeClient();
    const view = await client.updateSettings({ autonomyLevel: 'manual', boundaryOverrides: {}, approvers: [], holdDelayMinutes: 30, paused: true }, 3);
    expect(view.version).toBe(4);
    expect(server.requests).toHaveLength(2);
  });

  test('a retried settings change whose first attempt was applied (409, settings now exactly these) is success', async () => {
    const sent = { autonomyLevel: 'manual' as const, boundaryOverrides: {}, approvers: [], holdDelayMinutes: 30, paused: true };
    const applied = { settings: sent, version: 4, updatedAt: null, updatedBy: null };
    server.handle((_req, res, attempt) => (attempt === 1 ? reply(res, 503, { error: 'internal', message: 'lost' }) : reply(res, 409, { error: 'conflict', message: 'changed', current: applied })));
    const { client } = makeClient();
    await expect(client.updateSettings(sent, 3)).resolves.toEqual(applied);
    server.handle((_req, res) => reply(res, 409, { error: 'conflict', message: 'changed', current: { ...applied, settings: { ...sent, paused: false } } }));
    await expect(client.updateSettings(sent, 3)).rejects.toBeInstanceOf(ConflictError);
  });

  test('429 is retried after the Retry-After the server asked for', async () => {
    server.handle((_req, res, attempt) => (attempt === 1 ? reply(res, 429, { error: 'too_many_requests', message: 'slow' }, { 'retry-after': '1' }) : reply(res, 200, HEALTH)));
    const { client, retries } = makeClient();
    await expect(client.health()).resolves.toEqual(HEALTH);
    expect(retries.map((r) => r.delayMs)).toEqual([1000]); // not the 1 ms backoff
  });

  test('a Retry-After beyond the limit is not waited out: the RateLimitError goes to the caller', async () => {
    server.handle((_req, res) => reply(res, 429, { error: 'too_many_requests', message: 'slow' }, { 'retry-after': '120' }));
    const { client } = makeClient();
    const err = await client.health().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfterMs).toBe(120_000);
    expect(server.requests).toHaveLength(1);
  });

  test('each attempt is signed afresh with the credentials the provider gives at that moment', async () => {
    let n = 0;
    const rotating = () => Promise.resolve({ accessKeyId: `AKIAROTATE${++n}`, secretAccessKey: `secret-${n}` });
    const client = createBackendClient({ endpoint: server.url, region: 'eu-west-1', credentials: rotating, backoff: { initialDelayMs: 1, maxDelayMs: 1 } });
    server.handle((_req, res, attempt) => (attempt <= 2 ? unavailable(res) : reply(res, 200, HEALTH)));
    await client.health();
    expect(server.requests.map((r) => parseAuthorization(r.headers['authorization']).accessKeyId)).toEqual(['AKIAROTATE1', 'AKIAROTATE2', 'AKIAROTATE3']);
  });
});

describe('non-idempotent calls', () => {
  test('POST /suggestions that gets 503 is attempted exactly once', async () => {
    server.handle((_req, res) => unavailable(res));
    const { client } = makeClient({ maxRetries: 5 });
    await expect(client.createSuggestion(CREATE)).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });

  test('POST /suggestions after a dropped connection is not retried either', async () => {
    server.handle((_req, res) => drop(res));
    const { client } = makeClient({ maxRetries: 5 });
    await expect(client.createSuggestion(CREATE)).rejects.toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(1);
  });

  test('stop that gets 503 is attempted exactly once', async () => {
    server.handle((_req, res) => unavailable(res));
    const { client } = makeClient({ maxRetries: 5 });
    await expect(client.stopSuggestion(SUGGESTION_ID)).rejects.toBeInstanceOf(ServerError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('approve and reject: retried with the same Idempotency-Key', () => {
  test('an approve whose connection drops is retried with the same key', async () => {
    server.handle((_req, res, attempt) => (attempt === 1 ? drop(res) : reply(res, 200, { suggestion: suggestion({ state: 'approved' }) })));
    const { client } = makeClient();
    await expect(client.approveSuggestion(SUGGESTION_ID, { payloadHash: HASH })).resolves.toMatchObject({ state: 'approved' });
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(server.requests.every((r) => parseAuthorization(r.headers['authorization']).signedHeaders.includes('idempotency-key'))).toBe(true);
  });

  test('a reject that gets 502 then 503 is retried with the caller-supplied key', async () => {
    server.handle((_req, res, attempt) => (attempt <= 2 ? reply(res, 500 + attempt + 1, { error: 'internal', message: 'x' }) : reply(res, 200, { suggestion: suggestion({ state: 'rejected' }) })));
    const { client } = makeClient();
    await client.rejectSuggestion(SUGGESTION_ID, { reason: 'Not now' }, { idempotencyKey: 'panel-click-42' });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['panel-click-42', 'panel-click-42', 'panel-click-42']);
  });

  test('429 and 409 on approve are not retried', async () => {
    const { client } = makeClient();
    server.handle((_req, res) => reply(res, 429, { error: 'too_many_requests', message: 'slow' }, { 'retry-after': '0' }));
    await expect(client.approveSuggestion(SUGGESTION_ID, { payloadHash: HASH })).rejects.toBeInstanceOf(RateLimitError);
    expect(server.requests).toHaveLength(1);
    server.handle((_req, res) => reply(res, 409, { error: 'conflict', message: 'stale' }));
    await expect(client.approveSuggestion(SUGGESTION_ID, { payloadHash: HASH })).rejects.toMatchObject({ status: 409 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('timeouts and cancellation', () => {
  test('a slow answer produces TimeoutError; a GET retries it, each attempt with its own timeout', async () => {
    server.handle((_req, res) => later(res, 1_000, () => reply(res, 200, HEALTH)));
    const { client } = makeClient({ timeoutMs: 50, maxRetries: 1 });
    const err = await client.health().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(50);
    expect((err as TimeoutError).status).toBeUndefined();
    expect(server.requests).toHaveLength(2);
  });

  test('an approve that times out is retried with the same key; the answer then arrives', async () => {
    server.handle((_req, res, attempt) => (attempt === 1 ? later(res, 1_000, () => reply(res, 200, {})) : reply(res, 200, { suggestion: suggestion() })));
    const { client } = makeClient({ timeoutMs: 100 });
    await client.approveSuggestion(SUGGESTION_ID, { payloadHash: HASH });
    const [first, second] = server.requests.map((r) => r.headers['idempotency-key']);
    expect(second).toBe(first);
  });

  test('the caller’s signal aborts the attempt in flight, and nothing is retried', async () => {
    server.handle((_req, res) => later(res, 2_000, () => reply(res, 200, HEALTH)));
    const { client } = makeClient({ timeoutMs: 5_000 });
    const controller = new AbortController();
    const call = client.health({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });

  test('the caller’s signal also ends a retry wait', async () => {
    server.handle((_req, res) => unavailable(res));
    const controller = new AbortController();
    const client = createBackendClient({
      endpoint: server.url,
      region: 'eu-west-1',
      credentials: CREDS,
      backoff: { initialDelayMs: 20_000, maxDelayMs: 20_000 },
      onRetry: () => controller.abort(), // abort just as the (long) wait begins
    });
    await expect(client.health({ signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });

  test('an already-aborted signal sends nothing', async () => {
    server.handle((_req, res) => reply(res, 200, HEALTH));
    const { client } = makeClient();
    await expect(client.health({ signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('retry policy functions', () => {
  const net = new NetworkError({ operation: 'op', target: 't', reason: 'ECONNRESET' });
  const timeout = new TimeoutError({ operation: 'op', target: 't', timeoutMs: 1 });
  const server5xx = new ServerError({ operation: 'op', status: 502 });
  const rate = new RateLimitError({ operation: 'op', status: 429 });
  const other = new BackendError('x', { status: 400 });

  test('which errors each rule retries', () => {
    const table = (rule: 'idempotent' | 'idempotency-key' | 'never') => [net, timeout, server5xx, rate, other].map((e) => isRetryable(rule, e));
    expect(table('idempotent')).toEqual([true, true, true, true, false]);
    expect(table('idempotency-key')).toEqual([true, true, true, false, false]);
    expect(table('never')).toEqual([false, false, false, false, false]);
  });

  test('full jitter: uniform below min(cap, initial * 2^n)', () => {
    const opts = { initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelayMs(n, opts, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, opts, () => 0)).toBe(0);
    expect(DEFAULT_BACKOFF).toEqual({ initialDelayMs: 500, maxDelayMs: 8_000 });
  });

  test('Retry-After: seconds, HTTP-date, garbage', () => {
    const now = Date.parse('2025-03-01T10:00:00Z');
    expect(parseRetryAfterMs('3', now)).toBe(3_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 10:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfterMs('Sat, 01 Mar 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  test('Retry-After wins over backoff, up to the limit', () => {
    const opts = { initialDelayMs: 100, maxDelayMs: 1_000 };
    expect(retryDelayMs(new ServerError({ operation: 'op', status: 503, retryAfterMs: 2_000 }), 0, opts, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(new RateLimitError({ operation: 'op', status: 429, retryAfterMs: MAX_RETRY_AFTER_MS + 1 }), 0, opts)).toBeUndefined();
    expect(retryDelayMs(server5xx, 1, opts, () => 0.5)).toBe(100);
  });
});
