import {
  AuthError,
  BackendError,
  BadRequestError,
  ConflictError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  ServerError,
  UnprocessableError,
  createBackendClient,
  staticCredentials,
  type BackendClient,
} from '../src';
import { HEALTH, SUGGESTION_ID, closedPort, reply, startServer, suggestion, type TestServer } from './support';

const CREDS = staticCredentials({ accessKeyId: 'AKIATEST', secretAccessKey: 'test-secret-key' });

let server: TestServer;
let client: BackendClient;
beforeAll(async () => {
  server = await startServer();
  // maxRetries 0: these tests are about mapping one response, not about retrying it.
  client = createBackendClient({ endpoint: server.url, region: 'eu-west-1', credentials: CREDS, maxRetries: 0 });
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BackendError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('each status becomes its error class, with status and requestId', () => {
  const cases = [
    [400, BadRequestError, 'bad_request'],
    [401, AuthError, 'forbidden'],
    [403, AuthError, 'forbidden'],
    [404, NotFoundError, 'not_found'],
    [409, ConflictError, 'conflict'],
    [413, PayloadTooLargeError, 'payload_too_large'],
    [422, UnprocessableError, 'unprocessable'],
    [429, RateLimitError, 'too_many_requests'],
    [500, ServerError, 'internal'],
    [503, ServerError, 'internal'],
  ] as const;

  test.each(cases)('HTTP %i', async (status, errorClass, code) => {
    server.handle((_req, res) => reply(res, status, { error: code, message: 'the server explains' }, { 'x-amzn-RequestId': `rid-${status}` }));
    const err = await failure(client.getSettings());
    expect(err).toBeInstanceOf(errorClass);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.status).toBe(status);
    expect(err.requestId).toBe(`rid-${status}`);
    expect(err.code).toBe(code);
    expect(err.message).toContain(`rid-${status}`);
    expect(err.message).toContain('the server explains');
    expect(err.name).toBe(errorClass.name);
  });

  test('an unlisted status is still a BackendError with status', async () => {
    server.handle((_req, res) => reply(res, 405, { error: 'method_not_allowed', message: 'no' }));
    const err = await failure(client.getSettings());
    expect(err.constructor).toBe(BackendError);
    expect(err.status).toBe(405);
  });
});

test('400 carries the issues and lists them in the message', async () => {
  const issues = [{ path: 'payload.issueKey', message: 'must be a Jira issue key such as ABC-123' }];
  server.handle((_req, res) => reply(res, 400, { error: 'bad_request', message: 'invalid body', issues }));
  const err = await failure(client.rejectSuggestion(SUGGESTION_ID, { reason: 'x' }));
  expect(err).toBeInstanceOf(BadRequestError);
  expect((err as BadRequestError).issues).toEqual(issues);
  expect(err.message).toContain('payload.issueKey: must be a Jira issue key');
});

test('API Gateway 403: awsErrorType from x-amzn-ErrorType, message from {"message"}', async () => {
  server.handle((_req, res) =>
    reply(res, 403, { message: 'The security token included in the request is invalid.' }, { 'x-amzn-ErrorType': 'UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/' }),
  );
  const err = await failure(client.health());
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).awsErrorType).toBe('UnrecognizedClientException');
  expect(err.code).toBe('UnrecognizedClientException');
  expect(err.message).toMatch(/expired: get new ones/);
});

test('409 on approve carries the current suggestion', async () => {
  const current = suggestion({ state: 'approved', version: 2 });
  server.handle((_req, res) => reply(res, 409, { error: 'conflict', message: 'payload hash is stale', current }));
  const err = await failure(client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) }));
  expect(err).toBeInstanceOf(ConflictError);
  expect((err as ConflictError).current).toEqual(current);
});

test('409 whose `current` does not validate: still a ConflictError, without current', async () => {
  server.handle((_req, res) => reply(res, 409, { error: 'conflict', message: 'already decided', current: { id: 'nope' } }));
  const err = await failure(client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) }));
  expect(err).toBeInstanceOf(ConflictError);
  expect((err as ConflictError).current).toBeUndefined();
  expect(err.message).toContain('already decided');
});

test('429 carries Retry-After', async () => {
  server.handle((_req, res) => reply(res, 429, { error: 'too_many_requests', message: 'slow down' }, { 'retry-after': '7' }));
  const err = await failure(client.health());
  expect(err).toBeInstanceOf(RateLimitError);
  expect((err as RateLimitError).retryAfterMs).toBe(7000);
});

test('requestId falls back to the error body when the header is missing', async () => {
  server.handle((_req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not_found', message: 'no such suggestion', requestId: 'body-rid' }));
  });
  const err = await failure(client.getSuggestion(SUGGESTION_ID));
  expect(err).toBeInstanceOf(NotFoundError);
  expect(err.requestId).toBe('body-rid');
});

describe('a 2xx answer that does not match the schema is an InvalidResponseError', () => {
  test('wrong shape names the problem', async () => {
    server.handle((_req, res) => reply(res, 200, { ...HEALTH, status: 'degraded' }, { 'x-amzn-RequestId': 'rid-bad' }));
    const err = await failure(client.health());
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.requestId).toBe('rid-bad');
    expect((err as InvalidResponseError).issues.map((i) => i.path)).toEqual(['status']);
    expect(err.message).toContain('status:');
  });

  test('a suggestion with a bad field inside the envelope', async () => {
    server.handle((_req, res) => reply(res, 200, { suggestion: { ...suggestion(), payloadHash: 'XYZ' } }));
    const err = await failure(client.getSuggestion(SUGGESTION_ID));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as InvalidResponseError).issues[0]?.path).toBe('suggestion.payloadHash');
  });

  test('not JSON, and empty', async () => {
    server.handle((_req, res) => reply(res, 200, '<html>gateway</html>'));
    expect((await failure(client.health())).message).toContain('is not JSON');
    server.handle((_req, res) => reply(res, 200, ''));
    expect((await failure(client.health())).message).toContain('is empty');
  });
});

test('connection refused is a NetworkError that names the endpoint', async () => {
  const port = await closedPort();
  const offline = createBackendClient({ endpoint: `http://127.0.0.1:${port}`, region: 'eu-west-1', credentials: CREDS, maxRetries: 0 });
  const err = await failure(offline.health());
  expect(err).toBeInstanceOf(NetworkError);
  expect(err.status).toBeUndefined();
  expect(err.message).toContain(`http://127.0.0.1:${port}`);
  expect(err.message).toContain('ECONNREFUSED');
});
