import { AuthError, ConflictError, CredentialsError, NetworkError, TimeoutError } from '@pm-agent/backend-client';
import { ConfigError } from '../src/auth/config';
import { describeError } from '../src/errors';

describe('errors in words', () => {
  test.each([
    [new NetworkError({ operation: 'POST /v1/triage', target: 'the backend at http://127.0.0.1:1', reason: 'connection refused' }), 'Cannot reach the PM agent backend'],
    [new TimeoutError({ operation: 'POST /v1/triage', target: 'the backend', timeoutMs: 10 }), 'The PM agent backend took too long'],
    [new CredentialsError('STS said no.'), 'Could not sign you in to the PM agent'],
    [new AuthError({ operation: 'POST /v1/suggestions/x/approve', status: 403, awsErrorType: 'AccessDeniedException' }), 'You may not do this'],
    [new AuthError({ operation: 'GET /v1/viewer', status: 401 }), 'The backend did not accept your sign-in'],
    [new ConflictError({ operation: 'approve', status: 409 }), 'This suggestion changed'],
    [new ConfigError('config.json is not valid JSON.'), 'The pane is not set up'],
    [new TypeError('x is undefined'), 'Something went wrong in the pane'],
  ])('%s → %s', (error, title) => {
    expect(describeError(error)).toEqual({ title, message: error.message });
  });

  test('the message says what happened and what to do, from the error itself', () => {
    const e = new NetworkError({ operation: 'POST /v1/triage', target: 'the backend at http://127.0.0.1:1', reason: 'connection refused' });
    expect(describeError(e).message).toMatch(/could not reach the backend at http:\/\/127\.0\.0\.1:1 \(connection refused\)\. Check the endpoint/);
  });
});
