import { AuthError, BadRequestError, ConflictError, NetworkError } from '@pm-agent/backend-client';
import { describeFailure } from '../src/resolvers/errors';

/**
 * The resolvers take the backend's own words from the client's structured `serverMessage`, not by
 * re-reading its prose (a regex on "The backend said: …" missed every 400 that listed issues, whose
 * prose names the issues instead of the message).
 */
const ctx = { purpose: 'decide' as const, host: 'pm.example' };

it('a refused request with issues still shows what the backend said', () => {
  const e = new BadRequestError({ operation: 'POST /v1/x', status: 400, serverMessage: 'The reason is missing', issues: [{ path: 'reason', message: 'Required' }] });
  expect(describeFailure(e, ctx)).toMatchObject({ kind: 'invalid_request', message: 'The PM agent backend refused the request as invalid: The reason is missing.', issues: [{ path: 'reason', message: 'Required' }] });
});

it('a conflict shows the backend\'s sentence as sent, quotes and full stops inside included', () => {
  const e = new ConflictError({ operation: 'POST /v1/x', status: 409, serverMessage: 'Riley rejected it: "not now". Look again.' });
  expect(describeFailure(e, ctx)?.message).toBe('Riley rejected it: "not now". Look again.');
});

it('a 403 on the admin page without server words falls back to the table', () => {
  const e = new AuthError({ operation: 'PUT /v1/settings', status: 403 });
  expect(describeFailure(e, { purpose: 'admin', host: undefined })?.message).toBe('The backend accepts this only from a Jira admin on the PM agent admin page.');
});

it('the kind decides, not the prose: a network failure whose text mentions "The backend said" is still unreachable', () => {
  const e = new NetworkError({ operation: 'GET /v1/x', target: 'pm.example', reason: 'The backend said: "hello".' });
  expect(describeFailure(e, ctx)).toMatchObject({ kind: 'unreachable' });
});
