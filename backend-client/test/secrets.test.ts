import { AuthError, BackendError, ConflictError, InvalidResponseError, NetworkError, ServerError, TimeoutError, createBackendClient, staticCredentials } from '../src';
import { SUGGESTION_ID, closedPort, reply, startServer, suggestion, textOf, type TestServer } from './support';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN//+abcdefghij==';
const CREDS = { accessKeyId: 'ASIAEXAMPLEKEYID', secretAccessKey: SECRET, sessionToken: SESSION_TOKEN };

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** A generous timeout, so only the case that waits for it ever times out, however loaded the machine. */
function client(endpoint = server.url, timeoutMs = 30_000) {
  return createBackendClient({ endpoint, region: 'eu-west-1', credentials: staticCredentials(CREDS), maxRetries: 0, timeoutMs });
}

/** The error, checked to hold no secret anywhere a logger might look. */
async function failureWithoutSecrets(promise: Promise<unknown>, seenAuthorization?: () => string | undefined): Promise<BackendError> {
  const err = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  const authorization = seenAuthorization?.();
  const signature = authorization?.split('Signature=')[1];
  for (const text of [String(err), (err as Error).message, JSON.stringify(err), textOf(err), (err as Error).stack ?? '']) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SESSION_TOKEN);
    if (authorization) expect(text).not.toContain(authorization);
    if (signature) expect(text).not.toContain(signature);
  }
  return err as BackendError;
}

test('API Gateway InvalidSignatureException echoing the canonical request (token included) is redacted', async () => {
  // What API Gateway really sends back: the canonical request lists the signed header values.
  server.handle((req, res) =>
    reply(
      res,
      403,
      {
        message: `The request signature we calculated does not match the signature you provided. Token ${req.headers['x-amz-security-token']} secret ${SECRET} auth ${req.headers['authorization']}\n\nThe Canonical String for this request should have been\n'GET\n/v1/health\n\nhost:127.0.0.1\nx-amz-security-token:${req.headers['x-amz-security-token']}\n'`,
      },
      { 'x-amzn-ErrorType': 'InvalidSignatureException' },
    ),
  );
  const err = await failureWithoutSecrets(client().health(), () => server.requests[0]?.headers['authorization']);
  expect(err).toBeInstanceOf(AuthError);
  expect((err as AuthError).awsErrorType).toBe('InvalidSignatureException');
  expect(err.message).toContain('[redacted]');
  expect(err.message).not.toContain('Canonical String');
});

test('other failures hold no secret either', async () => {
  server.handle((_req, res) => reply(res, 500, { error: 'internal', message: `boom ${SESSION_TOKEN}` }));
  expect(await failureWithoutSecrets(client().getSettings())).toBeInstanceOf(ServerError);

  server.handle((_req, res) => reply(res, 409, { error: 'conflict', message: 'stale', current: suggestion() }));
  expect(await failureWithoutSecrets(client().approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) }))).toBeInstanceOf(ConflictError);

  server.handle((_req, res) => reply(res, 200, { unexpected: SECRET }));
  expect(await failureWithoutSecrets(client().health())).toBeInstanceOf(InvalidResponseError);

  // The server never answers (the client's abort, or close(), ends the held response), so the
  // client's timer is the only way this call can end, however slow the machine.
  server.handle(() => undefined);
  expect(await failureWithoutSecrets(client(server.url, 100).health())).toBeInstanceOf(TimeoutError);

  expect(await failureWithoutSecrets(client(`http://127.0.0.1:${await closedPort()}`).health())).toBeInstanceOf(NetworkError);
});
