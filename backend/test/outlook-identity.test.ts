import { AwsClient } from 'aws4fetch';
import { IDENTITY_HEADERS, outlookSessionName, type Viewer } from '@pm-agent/shared';
import { DEV_SIGN_IN_HEADER, LOCAL } from '@pm-agent/dev-stack';
import { DevIssuer } from '@pm-agent/dev-stack/identity';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { startTestBackend, type TestBackend } from './support/local-backend';

/** The Outlook path: dev token → local STS → temporary credentials → signed calls as the outlook principal. */
let b: TestBackend;
let now = Date.now();
beforeAll(async () => (b = await startTestBackend({ now: () => new Date(now) })));
afterAll(() => b.stop());

async function devToken(who: { sub: string; name: string; email: string } = { sub: 'pat-1', name: LOCAL_USER.name, email: LOCAL_USER.email }): Promise<string> {
  const res = await fetch(`${b.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json', [DEV_SIGN_IN_HEADER]: b.files.devSignInSecret }, body: JSON.stringify(who) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function sts(params: Record<string, string>): Promise<{ status: number; xml: string }> {
  const res = await fetch(`${b.url}/v1/sts`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  return { status: res.status, xml: await res.text() };
}

const assume = (token: string, extra: Record<string, string> = {}) =>
  sts({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: outlookSessionName('pat-1'), WebIdentityToken: token, ...extra });

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

function outlookClient(xml: string): AwsClient {
  return new AwsClient({ accessKeyId: tag(xml, 'AccessKeyId')!, secretAccessKey: tag(xml, 'SecretAccessKey')!, sessionToken: tag(xml, 'SessionToken')!, region: 'local', service: 'execute-api', retries: 0 });
}

/** A signed call from an Outlook session, carrying (and signing) the identity token, as the pane does. */
function asOutlook(xml: string, token: string, path = '/v1/viewer', init: Record<string, unknown> = {}): Promise<Response> {
  return outlookClient(xml).fetch(`${b.url}${path}`, { ...init, headers: { [IDENTITY_HEADERS.identityToken]: token }, aws: { allHeaders: true, ...(init.aws as object) } } as RequestInit);
}

/** The dev issuer's key and issuer name, for tokens the /v1/dev/token route would not mint (expired, other audience). */
function issuer(audience: string = LOCAL.audience): DevIssuer {
  return new DevIssuer(b.files.serverKeys.devIssuerPrivateKeyPem, `${b.url}/v1/dev`, audience);
}

const ALICE = { sub: 'alice-7', name: 'Alice', email: 'alice@example.com' };

describe('outlook identity, locally', () => {
  it('exchanges a dev token for short-lived credentials in STS XML and signs as the outlook user', async () => {
    const token = await devToken();
    const { status, xml } = await assume(token, { DurationSeconds: '900' });
    expect(status).toBe(200);
    expect(xml).toContain('<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(tag(xml, 'AccessKeyId')).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Date.parse(tag(xml, 'Expiration')!) - now).toBeLessThanOrEqual(900_000);
    const viewer = (await (await asOutlook(xml, token)).json()) as Viewer;
    expect(viewer).toMatchObject({ actor: { principal: 'outlook', id: LOCAL_USER.email }, canApprove: true });
  });

  it('limits the outlook principal to its routes', async () => {
    const token = await devToken();
    const { xml } = await assume(token);
    const res = await asOutlook(xml, token, '/v1/settings');
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });

  it('refuses expired credentials, a forged session token, and a token from elsewhere', async () => {
    const token = await devToken();
    const { xml } = await assume(token, { DurationSeconds: '900' });
    now += 901_000;
    try {
      const datetime = new Date(now).toISOString().replace(/[:-]|\.\d{3}/g, '');
      const res = await asOutlook(xml, token, '/v1/viewer', { aws: { datetime } });
      expect(res.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    } finally {
      now -= 901_000;
    }
    const forged = new AwsClient({ accessKeyId: tag(xml, 'AccessKeyId')!, secretAccessKey: tag(xml, 'SecretAccessKey')!, sessionToken: tag(xml, 'SessionToken')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), region: 'local', service: 'execute-api', retries: 0 });
    expect((await forged.fetch(`${b.url}/v1/viewer`, { headers: { [IDENTITY_HEADERS.identityToken]: token }, aws: { allHeaders: true } } as RequestInit)).headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');

    const [h, p] = (await devToken()).split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), email: 'ceo@example.com' })).toString('base64url')}.sig`;
    const refused = await assume(tampered);
    expect(refused.status).toBe(400);
    expect(tag(refused.xml, 'Code')).toBe('InvalidIdentityToken');
  });

  it('takes the person from the verified token, never the session name', async () => {
    // Alice, not an approver, names her session after the approver Pat: no approver rights.
    const alice = await devToken(ALICE);
    const named = await sts({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: LOCAL_USER.email, WebIdentityToken: alice });
    expect(named.status).toBe(200);
    const res = await asOutlook(named.xml, alice);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/another user than the STS session/);
    // Without a token, or with the approver's token on her session: refused too.
    expect((await outlookClient(named.xml).fetch(`${b.url}/v1/viewer`)).headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    const own = await sts({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: outlookSessionName(ALICE.sub), WebIdentityToken: alice });
    expect((await asOutlook(own.xml, await devToken())).status).toBe(403);
    // Her own session and token: she is herself, and may not approve.
    const viewer = (await (await asOutlook(own.xml, alice)).json()) as Viewer;
    expect(viewer).toMatchObject({ actor: { principal: 'outlook', id: ALICE.email }, canApprove: false });
  });

  it('refuses an unsigned identity token, an expired one, and one for another audience', async () => {
    const token = await devToken();
    const { xml } = await assume(token);
    const signed = await outlookClient(xml).sign(`${b.url}/v1/viewer`, {} as RequestInit);
    const headers = new Headers(signed.headers);
    headers.set(IDENTITY_HEADERS.identityToken, token);
    const unsigned = await fetch(signed.url, { headers });
    expect(unsigned.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect(((await unsigned.json()) as { message: string }).message).toMatch(/x-pm-identity-token is not in the request's SignedHeaders/);

    // Signed by the dev issuer's own key, so only the claims are wrong.
    const pat = { sub: 'pat-1', name: LOCAL_USER.name, email: LOCAL_USER.email };
    const expired = issuer().issue(pat, new Date(now - 2 * 3600_000));
    const otherAudience = issuer('api://some-other-api').issue(pat, new Date(now));
    for (const [bad, reason] of [[expired, /expired/], [otherAudience, /another audience/]] as const) {
      const res = await asOutlook(xml, bad);
      expect(res.status).toBe(403);
      const message = ((await res.json()) as { message: string }).message;
      expect(message).toMatch(reason);
      expect(message).not.toContain(bad);
    }
  });

  it('never lets an STS session outlive the token that created it', async () => {
    // A token with 10 minutes left, exchanged for an hour: the session ends with the token.
    const token = issuer().issue({ sub: 'pat-1', name: LOCAL_USER.name, email: LOCAL_USER.email }, new Date(now - 50 * 60_000));
    const { status, xml } = await assume(token, { DurationSeconds: '3600' });
    expect(status).toBe(200);
    const tokenExp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp * 1000;
    expect(Date.parse(tag(xml, 'Expiration')!)).toBeLessThanOrEqual(tokenExp);
  });

  it('answers STS errors in STS shape', async () => {
    expect(tag((await sts({ Action: 'GetCallerIdentity' })).xml, 'Code')).toBe('InvalidAction');
    expect(tag((await assume(await devToken(), { RoleArn: 'arn:aws:iam::000000000000:role/admin' })).xml, 'Code')).toBe('AccessDenied');
    expect(tag((await assume(await devToken(), { DurationSeconds: '60' })).xml, 'Code')).toBe('ValidationError');
    expect(tag((await sts({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: 'x1' })).xml, 'Code')).toBe('MissingParameter');
  });

  it('refuses malformed dev token requests', async () => {
    const res = await fetch(`${b.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json', [DEV_SIGN_IN_HEADER]: b.files.devSignInSecret }, body: JSON.stringify({ sub: 'a b', name: '', email: 'nope' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/sub must be/);
  });
});
