import {
  AbortedError,
  type BackendError,
  CredentialsError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  TimeoutError,
} from '@pm-agent/backend-client';
import { BACKEND_ERROR_KINDS, ERROR_WORDS, SERVICE_NAME, type Audience, type BackendErrorKind, type ErrorCase } from '@pm-agent/shared';
import { errorFromResponse } from '../../backend-client/src/responses';
import { describeFailure } from '../../forge-app/src/resolvers/errors';
import { describeError } from '../../outlook-addin/src/errors';

/**
 * One table of error words for both panels: for every kind of failure the typed client reports,
 * the Outlook pane and the Jira pages show that table's title and message, and neither carries a
 * status code, request id, ARN, option name or account id in the main message.
 */
const HOST = 'pm.example';
const REQUEST_ID = '5a1e0c3d-7b8e-4f21-9c6a-0d2e4f6a8b10';
const AWS_ACCOUNT = '123456789012';
const JIRA_ACCOUNT = '5b10ac8d82e05b22cc7d4ef5';
/** What a careless backend might say: every kind of support-only token in one sentence. */
const TECHNICAL_SAYING = `HTTP 403 for arn:aws:iam::${AWS_ACCOUNT}:role/pane, account ${JIRA_ACCOUNT}, request id ${REQUEST_ID}; raise timeoutMs`;

const respond = (status: number, serverMessage?: string, headers: Record<string, string> = {}) =>
  errorFromResponse(
    {
      status,
      headers: { get: (n: string) => ({ 'x-amzn-requestid': REQUEST_ID, ...headers })[n.toLowerCase()] ?? null },
      body: JSON.stringify(serverMessage ? { error: 'x', message: serverMessage } : {}),
    },
    { operation: 'POST /v1/suggestions/sug_00000000000000000000/approve', secrets: [] },
  );

/** The client's error for each kind, built the way the client builds it. A new kind does not compile here until it has one. */
const BUILD: Record<BackendErrorKind, (serverMessage?: string) => BackendError> = {
  network: () => new NetworkError({ operation: 'GET /v1/viewer', target: `the backend at http://${HOST}`, reason: 'connection refused' }),
  timeout: () => new TimeoutError({ operation: 'GET /v1/viewer', target: `the backend at http://${HOST}`, timeoutMs: 5000 }),
  aborted: () => new AbortedError('GET /v1/viewer'),
  invalid_request: () => new InvalidRequestError('"sug_x" is not a suggestion id.'),
  credentials: () => new CredentialsError(`AssumeRoleWithWebIdentity for arn:aws:iam::${AWS_ACCOUNT}:role/pane was refused (InvalidIdentityToken).`),
  bad_request: (m) => respond(400, m),
  auth: (m) => respond(401, m),
  not_found: (m) => respond(404, m),
  conflict: (m) => respond(409, m),
  payload_too_large: (m) => respond(413, m),
  unprocessable: (m) => respond(422, m),
  rate_limited: (m) => respond(429, m),
  server: (m) => respond(503, m),
  invalid_response: () => new InvalidResponseError({ operation: 'GET /v1/viewer', status: 200, requestId: REQUEST_ID, problem: 'is not JSON' }),
  unexpected_status: (m) => respond(418, m),
};

/** The table's words filled in by hand, independently of the code under test. */
function expected(which: ErrorCase, audience: Audience, host?: string) {
  const pick = (w: string | Readonly<Record<Audience, string>>) => (typeof w === 'string' ? w : w[audience]);
  const service = SERVICE_NAME[audience];
  const fill = (t: string, at: string) =>
    t.replaceAll('{service}', service).replaceAll('{Service}', service[0]!.toUpperCase() + service.slice(1)).replaceAll('{at}', at);
  const row = ERROR_WORDS[which];
  return { title: fill(pick(row.title), ''), message: fill(pick(row.message), host ? ` at ${host}` : '') };
}

const forge = (e: unknown) => describeFailure(e, { purpose: 'read', host: HOST })!;
const NOT_IN_WORDS = [/\b[1-5]\d\d\b/, /request ?id/i, new RegExp(REQUEST_ID), /arn:/i, /timeoutMs/i, new RegExp(AWS_ACCOUNT), new RegExp(JIRA_ACCOUNT), /x-amzn|Exception\b/];

describe.each(BACKEND_ERROR_KINDS.map((k) => [k]))('kind %s', (kind) => {
  const which: ErrorCase = kind; // built plainly (a 401, a sign-in with no cause), each kind reads as its own row

  test('both panels show the shared table’s words', () => {
    const error = BUILD[kind]();
    expect(error.kind).toBe(kind);
    const pane = describeError(error);
    expect({ title: pane.title, message: pane.message }).toEqual(expected(which, 'outlook'));
    const jira = forge(error);
    expect({ title: jira.title, message: jira.message }).toEqual(expected(which, 'jira', HOST));
    expect(jira.detail).toBe(error.message);
  });

  test('no main message carries a status, request id, ARN, option name or account id, whatever the backend said', () => {
    const error = BUILD[kind](TECHNICAL_SAYING);
    for (const shown of [describeError(error), forge(error)]) {
      for (const re of NOT_IN_WORDS) expect(`${shown.title} ${shown.message}`).not.toMatch(re);
    }
  });
});

describe('rows a kind splits into, by what is known about the failure', () => {
  test('a refusal of a call (the key was accepted) is "you may not do this", on both panels', () => {
    for (const error of [respond(403), respond(403, undefined, { 'x-amzn-errortype': 'AccessDeniedException' })]) {
      expect(describeError(error)).toMatchObject(expected('forbidden', 'outlook'));
      expect(forge(error)).toMatchObject({ kind: 'not_allowed', ...expected('forbidden', 'jira') });
    }
  });

  test('a signature or key that is not accepted is the sign-in row, on both panels', () => {
    const error = respond(403, undefined, { 'x-amzn-errortype': 'InvalidSignatureException:http://internal.amazon.com/coral/' });
    expect(describeError(error)).toMatchObject(expected('auth', 'outlook'));
    expect(forge(error)).toMatchObject({ kind: 'auth', ...expected('auth', 'jira') });
  });

  test('a sign-in that failed because nobody answered is "cannot reach", not "cannot sign you in"', () => {
    const down = new NetworkError({ operation: 'AssumeRoleWithWebIdentity', target: 'STS', reason: 'connection refused' });
    const error = new CredentialsError('Could not get credentials.', { cause: down });
    expect(describeError(error)).toMatchObject(expected('network', 'outlook'));
    expect(forge(error)).toMatchObject({ kind: 'unreachable', ...expected('network', 'jira', HOST) });
    expect(describeError(BUILD.credentials())).toMatchObject(expected('credentials', 'outlook'));
  });

  test('the backend’s own sentence replaces the message where the table says so, on both panels', () => {
    const error = BUILD.conflict('Riley rejected it: "not now"');
    expect(describeError(error).message).toBe('Riley rejected it: "not now".');
    expect(forge(error).message).toBe('Riley rejected it: "not now".');
    expect(describeError(BUILD.unprocessable('It is a never-do action now.')).message).toBe('The PM agent service cannot do this: It is a never-do action now.');
    expect(describeError(BUILD.server('Down for upkeep.'))).toMatchObject(expected('server', 'outlook'));
  });
});
