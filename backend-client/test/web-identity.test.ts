import { CredentialsError, createBackendClient, webIdentityCredentials } from '../src';
import { parseStsAnswer } from '../src/credentials/sts-xml';
import { XmlParseError, decodeEntities, parseXml } from '../src/xml';
import { HEALTH, closedPort, expectedSignature, later, parseAuthorization, reply, startServer, textOf, type TestServer } from './support';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl';
const ROLE = 'arn:aws:iam::123456789012:role/pm-agent-outlook';
const T0 = new Date('2025-03-01T10:00:00.000Z');
const EXPIRES = new Date(T0.getTime() + 3600_000);

function stsSuccess(n: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>user-1</SubjectFromWebIdentityToken>
    <Credentials>
      <AccessKeyId>ASIASTS${n}</AccessKeyId>
      <SecretAccessKey>sts-secret-${n}&amp;&lt;&gt;&quot;&apos;</SecretAccessKey>
      <SessionToken>sts-session-token-${n}/+=</SessionToken>
      <Expiration>${EXPIRES.toISOString()}</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>sts-rid-${n}</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;
}

function stsError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error>
  <RequestId>sts-err-rid</RequestId>
</ErrorResponse>`;
}

let sts: TestServer;
beforeAll(async () => {
  sts = await startServer();
});
afterAll(() => sts.close());

function xml(res: Parameters<typeof reply>[0], status: number, body: string) {
  reply(res, status, body, { 'content-type': 'text/xml' });
}

function provider(clock: { now: Date }, extra: { getToken?: () => Promise<string>; stsEndpoint?: string } = {}) {
  return webIdentityCredentials({
    stsEndpoint: extra.stsEndpoint ?? `${sts.url}/`,
    roleArn: ROLE,
    getToken: extra.getToken ?? (() => Promise.resolve(TOKEN)),
    durationSeconds: 3600,
    now: () => clock.now,
  });
}

describe('webIdentityCredentials', () => {
  test('posts the AssumeRoleWithWebIdentity form, unsigned, and decodes the XML answer', async () => {
    sts.handle((_req, res, n) => xml(res, 200, stsSuccess(n)));
    const creds = await provider({ now: T0 })();

    // The token rides along (the client sends it signed); the session name comes from its subject.
    expect(creds).toEqual({ accessKeyId: 'ASIASTS1', secretAccessKey: `sts-secret-1&<>"'`, sessionToken: 'sts-session-token-1/+=', expiration: EXPIRES, identityToken: TOKEN });
    const req = sts.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req?.headers['authorization']).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(req?.body))).toEqual({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: ROLE,
      RoleSessionName: 'outlook-user-1',
      WebIdentityToken: TOKEN,
      DurationSeconds: '3600',
    });
  });

  test('credentials expire no later than the token they were obtained with', async () => {
    sts.handle((_req, res, n) => xml(res, 200, stsSuccess(n)));
    const tokenExp = new Date(EXPIRES.getTime() - 20 * 60_000);
    const short = `e30.${Buffer.from(JSON.stringify({ sub: 'user-1', exp: tokenExp.getTime() / 1000 })).toString('base64url')}.c2ln`;
    const creds = await provider({ now: T0 }, { getToken: () => Promise.resolve(short) })();
    expect(creds.expiration).toEqual(tokenExp);
  });

  test('caches until refreshBeforeSeconds (300) before Expiration, then renews', async () => {
    sts.handle((_req, res, n) => xml(res, 200, stsSuccess(n)));
    const clock = { now: T0 };
    const get = provider(clock);

    expect((await get()).accessKeyId).toBe('ASIASTS1');
    clock.now = new Date(EXPIRES.getTime() - 301_000);
    expect((await get()).accessKeyId).toBe('ASIASTS1');
    expect(sts.requests).toHaveLength(1);

    clock.now = new Date(EXPIRES.getTime() - 299_000);
    expect((await get()).accessKeyId).toBe('ASIASTS2');
    expect(sts.requests).toHaveLength(2);
  });

  test('concurrent callers share one STS call', async () => {
    sts.handle((_req, res, n) => later(res, 50, () => xml(res, 200, stsSuccess(n))));
    const get = provider({ now: T0 });
    const all = await Promise.all([get(), get(), get(), get(), get()]);
    expect(sts.requests).toHaveLength(1);
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['ASIASTS1']));
  });

  test('an STS error becomes a CredentialsError with the STS code, never the token', async () => {
    // STS may quote what it was given; the provider must not pass the token on.
    sts.handle((_req, res) => xml(res, 400, stsError('InvalidIdentityToken', `Couldn't verify token ${TOKEN} &amp; signature`)));
    const err = await provider({ now: T0 })().catch((e: unknown) => e);

    expect(err).toBeInstanceOf(CredentialsError);
    const e = err as CredentialsError;
    expect(e.code).toBe('InvalidIdentityToken');
    expect(e.stsType).toBe('Sender');
    expect(e.status).toBe(400);
    expect(e.requestId).toBe('sts-err-rid');
    expect(e.message).toMatch(/fresh token/);
    for (const text of [e.message, String(e), JSON.stringify(e), textOf(e)]) expect(text).not.toContain(TOKEN);
  });

  test('a failure is not cached: the next call asks STS again', async () => {
    sts.handle((_req, res, n) => (n === 1 ? xml(res, 503, stsError('ServiceUnavailable', 'busy')) : xml(res, 200, stsSuccess(n))));
    const get = provider({ now: T0 });
    await expect(get()).rejects.toMatchObject({ code: 'ServiceUnavailable' });
    await expect(get()).resolves.toMatchObject({ accessKeyId: 'ASIASTS2' });
  });

  test('non-XML, unexpected XML and an unreachable STS are CredentialsErrors without the token', async () => {
    sts.handle((_req, res) => reply(res, 502, '<html>bad gateway'));
    const notXml = await provider({ now: T0 })().catch((e: unknown) => e);
    expect(notXml).toBeInstanceOf(CredentialsError);
    expect((notXml as CredentialsError).status).toBe(502);

    sts.handle((_req, res) => xml(res, 200, '<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult/></AssumeRoleWithWebIdentityResponse>'));
    await expect(provider({ now: T0 })()).rejects.toThrow(/credentials lack AccessKeyId, SecretAccessKey, SessionToken, Expiration/);

    const unreachable = await provider({ now: T0 }, { stsEndpoint: `http://127.0.0.1:${await closedPort()}/` })().catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(CredentialsError);
    expect((unreachable as CredentialsError).message).toMatch(/could not reach STS/);
    for (const e of [notXml, unreachable]) expect(`${String(e)} ${JSON.stringify(e)} ${textOf(e)}`).not.toContain(TOKEN);
  });

  test('getToken failing is a CredentialsError and STS is not called', async () => {
    sts.handle((_req, res, n) => xml(res, 200, stsSuccess(n)));
    const get = provider({ now: T0 }, { getToken: () => Promise.reject(new Error('user is signed out')) });
    await expect(get()).rejects.toBeInstanceOf(CredentialsError);
    expect(sts.requests).toHaveLength(0);
  });

  test('end to end: the client signs with the STS session credentials, token included', async () => {
    sts.handle((_req, res, n) => xml(res, 200, stsSuccess(n)));
    const api = await startServer();
    try {
      api.handle((_req, res) => reply(res, 200, HEALTH));
      const client = createBackendClient({ endpoint: api.url, region: 'eu-west-1', credentials: provider({ now: T0 }) });
      await client.health();
      const req = api.requests[0];
      if (!req) throw new Error('no request');
      const auth = parseAuthorization(req.headers['authorization']);
      expect(auth.accessKeyId).toBe('ASIASTS1');
      expect(auth.signedHeaders).toContain('x-amz-security-token');
      expect(req.headers['x-amz-security-token']).toBe('sts-session-token-1/+=');
      const creds = { accessKeyId: 'ASIASTS1', secretAccessKey: `sts-secret-1&<>"'`, sessionToken: 'sts-session-token-1/+=' };
      expect(auth.signature).toBe(await expectedSignature(req, creds, { region: 'eu-west-1', service: 'execute-api', port: api.port }));
    } finally {
      await api.close();
    }
  });
});

describe('the small XML reader', () => {
  test('elements, namespaces, attributes with ">", comments, CDATA, entities', () => {
    const root = parseXml(
      `<?xml version="1.0"?><!-- c --><a:Root xmlns:a="urn:x" note="1 > 0"><Item>x &lt;&#65;&#x42;&gt;</Item><Empty/><Raw><![CDATA[<not & parsed>]]></Raw></a:Root>`,
    );
    expect(root.name).toBe('Root');
    expect(root.children.map((c) => [c.name, c.text])).toEqual([
      ['Item', 'x <AB>'],
      ['Empty', ''],
      ['Raw', '<not & parsed>'],
    ]);
  });

  test('decodes exactly the five predefined entities and character references', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&amp;lt;')).toBe(`<>&"'&lt;`);
    expect(() => decodeEntities('&nbsp;')).toThrow(XmlParseError);
  });

  test('refuses what is not well formed, and DOCTYPE', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(XmlParseError);
    expect(() => parseXml('<a>')).toThrow(XmlParseError);
    expect(() => parseXml('just text')).toThrow(XmlParseError);
    expect(() => parseXml('<a/><b/>')).toThrow(XmlParseError);
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')).toThrow(XmlParseError);
  });

  test('STS answers: credentials, error, something else', () => {
    expect(parseStsAnswer(stsSuccess(7))).toMatchObject({ kind: 'credentials', requestId: 'sts-rid-7', credentials: { accessKeyId: 'ASIASTS7' } });
    expect(parseStsAnswer(stsError('AccessDenied', 'no'))).toEqual({
      kind: 'error',
      error: { type: 'Sender', code: 'AccessDenied', message: 'no', requestId: 'sts-err-rid' },
    });
    expect(parseStsAnswer('<Other/>')).toMatchObject({ kind: 'unexpected', problem: 'root element is <Other>' });
  });
});
