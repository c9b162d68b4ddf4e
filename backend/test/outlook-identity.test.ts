import { AwsClient } from 'aws4fetch';
import type { Viewer } from '@pm-agent/shared';
import { LOCAL } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { startTestBackend, type TestBackend } from './support/local-backend';

/** The Outlook path: dev token → local STS → temporary credentials → signed calls as the outlook principal. */
let b: TestBackend;
let now = Date.now();
beforeAll(async () => (b = await startTestBackend({ now: () => new Date(now) })));
afterAll(() => b.stop());

async function devToken(who = { sub: 'pat-1', name: LOCAL_USER.name, email: LOCAL_USER.email }): Promise<string> {
  const res = await fetch(`${b.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function sts(params: Record<string, string>): Promise<{ status: number; xml: string }> {
  const res = await fetch(`${b.url}/v1/sts`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params) });
  return { status: res.status, xml: await res.text() };
}

const assume = (token: string, extra: Record<string, string> = {}) =>
  sts({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: 'outlook-pat', WebIdentityToken: token, ...extra });

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

function outlookClient(xml: string): AwsClient {
  return new AwsClient({ accessKeyId: tag(xml, 'AccessKeyId')!, secretAccessKey: tag(xml, 'SecretAccessKey')!, sessionToken: tag(xml, 'SessionToken')!, region: 'local', service: 'execute-api', retries: 0 });
}

describe('outlook identity, locally', () => {
  it('exchanges a dev token for short-lived credentials in STS XML and signs as the outlook user', async () => {
    const { status, xml } = await assume(await devToken(), { DurationSeconds: '900' });
    expect(status).toBe(200);
    expect(xml).toContain('<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(tag(xml, 'AccessKeyId')).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Date.parse(tag(xml, 'Expiration')!) - now).toBeLessThanOrEqual(900_000);
    const viewer = (await (await outlookClient(xml).fetch(`${b.url}/v1/viewer`)).json()) as Viewer;
    expect(viewer).toMatchObject({ actor: { principal: 'outlook', id: LOCAL_USER.email }, canApprove: true });
  });

  it('limits the outlook principal to its routes', async () => {
    const { xml } = await assume(await devToken());
    const res = await outlookClient(xml).fetch(`${b.url}/v1/settings`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });

  it('refuses expired credentials, a forged session token, and a token from elsewhere', async () => {
    const { xml } = await assume(await devToken(), { DurationSeconds: '900' });
    const client = outlookClient(xml);
    now += 901_000;
    try {
      const datetime = new Date(now).toISOString().replace(/[:-]|\.\d{3}/g, '');
      const res = await client.fetch(`${b.url}/v1/viewer`, { aws: { datetime } } as RequestInit);
      expect(res.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');
    } finally {
      now -= 901_000;
    }
    const forged = new AwsClient({ accessKeyId: tag(xml, 'AccessKeyId')!, secretAccessKey: tag(xml, 'SecretAccessKey')!, sessionToken: tag(xml, 'SessionToken')!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), region: 'local', service: 'execute-api', retries: 0 });
    expect((await forged.fetch(`${b.url}/v1/viewer`)).headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');

    const [h, p] = (await devToken()).split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), email: 'ceo@example.com' })).toString('base64url')}.sig`;
    const refused = await assume(tampered);
    expect(refused.status).toBe(400);
    expect(tag(refused.xml, 'Code')).toBe('InvalidIdentityToken');
  });

  it('answers STS errors in STS shape', async () => {
    expect(tag((await sts({ Action: 'GetCallerIdentity' })).xml, 'Code')).toBe('InvalidAction');
    expect(tag((await assume(await devToken(), { RoleArn: 'arn:aws:iam::000000000000:role/admin' })).xml, 'Code')).toBe('AccessDenied');
    expect(tag((await assume(await devToken(), { DurationSeconds: '60' })).xml, 'Code')).toBe('ValidationError');
    expect(tag((await sts({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: 'x1' })).xml, 'Code')).toBe('MissingParameter');
  });

  it('refuses malformed dev token requests', async () => {
    const res = await fetch(`${b.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'a b', name: '', email: 'nope' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/sub must be/);
  });
});
