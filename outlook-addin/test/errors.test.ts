import { AuthError, ConflictError, CredentialsError, NetworkError, TimeoutError } from '@pm-agent/backend-client';
import { ConfigError } from '../src/auth/config';
import { describeError } from '../src/errors';

describe('errors in words', () => {
  test.each([
    [new NetworkError({ operation: 'POST /v1/triage', target: 'the backend at http://127.0.0.1:1', reason: 'connection refused' }), 'Cannot reach the PM agent service'],
    [new TimeoutError({ operation: 'POST /v1/triage', target: 'the backend', timeoutMs: 10 }), 'The PM agent service took too long'],
    [new CredentialsError('STS said no.'), 'Could not sign you in to the PM agent'],
    [new AuthError({ operation: 'POST /v1/suggestions/x/approve', status: 403, awsErrorType: 'AccessDeniedException' }), 'You may not do this'],
    [new AuthError({ operation: 'GET /v1/viewer', status: 401 }), 'The PM agent service did not accept your sign-in'],
    [new ConflictError({ operation: 'approve', status: 409 }), 'This suggestion changed'],
    [new ConfigError('config.json is not valid JSON.'), 'The pane is not set up'],
    [new TypeError('x is undefined'), 'Something went wrong in the pane'],
  ])('%s → %s', (error, title) => {
    const view = describeError(error);
    expect(view.title).toBe(title);
    // The technical message is kept for "Details", never shown as the message itself (issue 14, item 11).
    expect(view.detail).toBe(error.message);
    expect(view.message).not.toMatch(/HTTP \d|\d{3}\b|timeoutMs|arn:aws|request id|POST |GET /i);
  });

  test('issue 14 item 7: a service that is down is not a sign-in error, even when the sign-in step met it', () => {
    const down = new NetworkError({ operation: 'AssumeRoleWithWebIdentity', target: 'STS at http://127.0.0.1:1', reason: 'connection refused' });
    const viaSignIn = new CredentialsError('Could not get credentials: AssumeRoleWithWebIdentity for arn:aws:iam::123456789012:role/pane could not reach STS', { cause: down });
    const view = describeError(viaSignIn);
    expect(view.title).toBe('Cannot reach the PM agent service');
    expect(`${view.title} ${view.message}`).not.toMatch(/arn:|sign/i);
    expect(describeError(new CredentialsError('AssumeRoleWithWebIdentity was refused (InvalidIdentityToken).')).title).toBe('Could not sign you in to the PM agent');
  });
});
