import { DEV_SIGN_IN_HEADER } from '../../src/local-stack/local-files';
import { startTestBackend, type TestBackend } from '@pm-agent/backend/test/support/local-backend';

/**
 * The dev issuer (the local stand-in for Entra ID) mints tokens only for the local host's own
 * sign-in: a request without the secret the local host holds gets 403 and no token, so STS
 * (which trusts only this issuer) has nothing to exchange.
 */
let b: TestBackend;
beforeAll(async () => (b = await startTestBackend()));
afterAll(() => b.stop());

const ask = (headers: Record<string, string> = {}) =>
  fetch(`${b.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ sub: 'mallory', name: 'Mallory', email: 'pat.morgan@example.com' }) });

describe('the dev issuer mints only for the local host’s sign-in', () => {
  it('refuses whoever asks without the local host’s secret, with a clear 403 and no token', async () => {
    const res = await ask();
    expect(res.status).toBe(403);
    const body = (await res.json()) as { message: string; access_token?: string };
    expect(body.access_token).toBeUndefined();
    expect(body.message).toMatch(/only for the local host’s own sign-in/);
  });

  it('refuses a wrong secret', async () => {
    expect((await ask({ [DEV_SIGN_IN_HEADER]: 'x'.repeat(43) })).status).toBe(403);
  });

  it('answers the local host (the holder of dev-sign-in.json)', async () => {
    const res = await ask({ [DEV_SIGN_IN_HEADER]: b.files.devSignInSecret });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { access_token: string }).access_token.split('.')).toHaveLength(3);
  });
});
