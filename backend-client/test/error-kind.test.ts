import { BACKEND_ERROR_KINDS, type BackendErrorKind } from '@pm-agent/shared';
import { AbortedError, BackendError, CredentialsError, InvalidRequestError, InvalidResponseError, NetworkError, TimeoutError } from '../src';
import { errorFromResponse } from '../src/responses';

/**
 * Every failure says what kind it is (`kind`) and carries the backend's own words (`serverMessage`)
 * as data, so a panel never has to read them back out of the client's prose.
 */
const ctx = { operation: 'POST /v1/x', secrets: ['hidden-value'] };
const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { get: (n: string) => headers[n.toLowerCase()] ?? null },
  body: JSON.stringify(body),
});

const BY_STATUS: Array<[number, BackendErrorKind]> = [
  [400, 'bad_request'],
  [401, 'auth'],
  [403, 'auth'],
  [404, 'not_found'],
  [409, 'conflict'],
  [413, 'payload_too_large'],
  [422, 'unprocessable'],
  [428, 'bad_request'],
  [429, 'rate_limited'],
  [500, 'server'],
  [503, 'server'],
  [418, 'unexpected_status'],
];

it.each(BY_STATUS)('HTTP %i is kind %s, with the server\'s message as sent (redacted)', (status, kind) => {
  const said = 'Version 2.1 says "no". Ask hidden-value again.';
  const e = errorFromResponse(response(status, { error: 'x', message: said }), ctx);
  expect(e).toBeInstanceOf(BackendError);
  expect(e.kind).toBe(kind);
  expect(e.serverMessage).toBe('Version 2.1 says "no". Ask [redacted] again.');
});

it('a 400 with issues still carries the server message (its prose lists the issues instead)', () => {
  const e = errorFromResponse(response(400, { error: 'bad_request', message: 'The reason is missing', issues: [{ path: 'reason', message: 'Required' }] }), ctx);
  expect(e.message).not.toContain('The reason is missing');
  expect(e.serverMessage).toBe('The reason is missing');
});

it('no server message: serverMessage is undefined', () => {
  expect(errorFromResponse(response(500, {}), ctx).serverMessage).toBeUndefined();
});

it('failures without a response have their own kinds, and every kind is produced by some failure', () => {
  const others: BackendError[] = [
    new NetworkError({ operation: 'op', target: 't', reason: 'refused' }),
    new TimeoutError({ operation: 'op', target: 't', timeoutMs: 1 }),
    new AbortedError('op'),
    new InvalidRequestError('bad.'),
    new CredentialsError('no key'),
    new InvalidResponseError({ operation: 'op', status: 200, problem: 'is not JSON' }),
  ];
  expect(others.map((e) => e.kind)).toEqual(['network', 'timeout', 'aborted', 'invalid_request', 'credentials', 'invalid_response']);
  const seen = new Set([...BY_STATUS.map(([, k]) => k), ...others.map((e) => e.kind)]);
  expect([...BACKEND_ERROR_KINDS].filter((k) => !seen.has(k))).toEqual([]);
});
