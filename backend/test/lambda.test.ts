import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsV4Signer } from 'aws4fetch';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { DEFAULT_SETTINGS, IDENTITY_HEADERS, outlookSessionName } from '@pm-agent/shared';
import { updateSettings } from '../src/domain/settings';
import type { ApiGatewayProxyEvent } from '../src/api/http/lambda';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';

/**
 * The Lambda entry, driven with the events API Gateway (REST API, IAM authorisation, Lambda proxy)
 * really sends for each identity type: the Forge app's IAM user, an Outlook user's role assumed with
 * a web identity, the agent's role. The Authorization header is a real SigV4 header (API Gateway
 * passes it through); its SignedHeaders is what the Lambda can learn of what was signed.
 */
const ACCOUNT = '123456789012';
const HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';
const ISSUER = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';
const AUDIENCE = 'api://pm-agent-backend';
const PAT = { sub: 'pat-1', email: 'pat.morgan@example.com', name: 'Pat Morgan' };
const ALICE = { sub: 'alice-7', email: 'alice@example.com', name: 'Alice' };
const JIRA_ADMIN = '712020:jira-admin';

const dir = mkdtempSync(join(tmpdir(), 'pm-agent-lambda-'));
const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require('../src/aws/lambda-entry') as typeof import('../src/aws/lambda-entry');

let tenantKey: CryptoKey;
let otherKey: CryptoKey;
let jwks: Server;
let jwksFetches = 0;

beforeAll(async () => {
  const tenant = await generateKeyPair('RS256');
  tenantKey = tenant.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair('RS256'));
  const publicJwk: JWK = { ...(await exportJWK(tenant.publicKey)), kid: 'tenant-key-1', alg: 'RS256', use: 'sig' };
  // The tenant's published keys (Entra ID serves them at its jwks_uri), on loopback.
  jwks = createServer((req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((ok) => jwks.listen(0, '127.0.0.1', ok));
  process.env.PM_AGENT_ROLES = JSON.stringify({ forge: 'pm-agent-forge', outlook: 'pm-agent-outlook', agent: 'pm-agent-agent' });
  process.env.PM_AGENT_OUTLOOK_OIDC = JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/discovery/v2.0/keys` });
  process.env.PM_AGENT_SQLITE_PATH = join(dir, 'store.sqlite');
  // Pat may approve by email, the Jira admin by accountId; set before the Lambda opens the store.
  const store = new SqliteStore(process.env.PM_AGENT_SQLITE_PATH);
  await updateSettings({ store, now: () => new Date() }, { principal: 'forge', actor: { principal: 'forge', id: JIRA_ADMIN }, admin: true }, {
    ...DEFAULT_SETTINGS,
    approvers: [
      { name: 'Jira admin', jiraAccountId: JIRA_ADMIN },
      { name: 'Pat', email: PAT.email },
    ],
  });
  store.close();
});
afterAll(async () => {
  await new Promise((ok) => jwks.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

async function token(who: { sub: string; email: string; name: string }, opts: { key?: CryptoKey; aud?: string; iss?: string; expiresIn?: number; kid?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: who.email, name: who.name })
    .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'tenant-key-1' })
    .setIssuer(opts.iss ?? ISSUER)
    .setAudience(opts.aud ?? AUDIENCE)
    .setSubject(who.sub)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (opts.expiresIn ?? 3600))
    .sign(opts.key ?? tenantKey);
}

/** requestContext.identity as API Gateway fills it for each kind of IAM caller. */
const identities = {
  forgeUser: { accessKey: ['AK', 'IAEXAMPLEFORGE0001'].join(''), accountId: ACCOUNT, caller: 'AIDAEXAMPLEFORGE0001', user: 'AIDAEXAMPLEFORGE0001', userArn: `arn:aws:iam::${ACCOUNT}:user/pm-agent-forge` },
  forgeAsRole: { accessKey: 'ASIAEXAMPLE000000001', accountId: ACCOUNT, caller: 'AROAEXAMPLEFORGE:forge-1', user: 'AROAEXAMPLEFORGE:forge-1', userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/pm-agent-forge/forge-1` },
  outlook: (session: string) => ({ accessKey: 'ASIAEXAMPLE000000002', accountId: ACCOUNT, caller: `AROAEXAMPLEOUTLOOK:${session}`, user: `AROAEXAMPLEOUTLOOK:${session}`, userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/pm-agent-outlook/${session}` }),
  agent: { accessKey: 'ASIAEXAMPLE000000003', accountId: ACCOUNT, caller: 'AROAEXAMPLEAGENT:agent-run-7', user: 'AROAEXAMPLEAGENT:agent-run-7', userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/pm-agent-agent/agent-run-7` },
  unknownRole: { accessKey: 'ASIAEXAMPLE000000004', accountId: ACCOUNT, caller: 'AROAOTHER:x', user: 'AROAOTHER:x', userArn: `arn:aws:sts::${ACCOUNT}:assumed-role/other/x` },
};
type Identity = (typeof identities)['forgeUser'];

interface EventOptions {
  identity?: Identity;
  /** Signed headers (the signer signs every one). */
  headers?: Record<string, string>;
  /** Added after signing: present on the request but not among SignedHeaders. */
  unsigned?: Record<string, string>;
  body?: unknown;
  query?: Record<string, string>;
  sessionToken?: boolean;
}

/** An API Gateway proxy event for a request signed with SigV4 the way aws4fetch signs it. */
async function event(method: string, path: string, opts: EventOptions = {}): Promise<ApiGatewayProxyEvent> {
  const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const signer = new AwsV4Signer({
    method,
    url: `https://${HOST}/prod${path}${qs}`,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    body,
    accessKeyId: opts.identity?.accessKey ?? 'AKIAEXAMPLE',
    secretAccessKey: 'not-checked-here-api-gateway-did',
    sessionToken: opts.identity?.accessKey.startsWith('ASIA') ? 'session-token' : undefined,
    region: 'eu-west-1',
    service: 'execute-api',
    allHeaders: true,
  });
  const signed = await signer.sign();
  const headers: Record<string, string> = { 'X-Forwarded-For': '203.0.113.7', 'X-Amzn-Trace-Id': 'Root=1-abc', 'User-Agent': 'test' };
  signed.headers.forEach((v, k) => (headers[k === 'authorization' ? 'Authorization' : k] = v));
  headers.Host = HOST;
  Object.assign(headers, opts.unsigned);
  return {
    resource: '/{proxy+}',
    httpMethod: method,
    path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: opts.query ?? null,
    multiValueQueryStringParameters: opts.query ? Object.fromEntries(Object.entries(opts.query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: body === undefined ? null : Buffer.from(body).toString('base64'),
    isBase64Encoded: body !== undefined,
    requestContext: {
      requestId: 'req-1',
      stage: 'prod',
      domainName: HOST,
      httpMethod: method,
      path: `/prod${path}`,
      identity: opts.identity
        ? { ...opts.identity, sourceIp: '203.0.113.7', userAgent: 'test', cognitoIdentityPoolId: null, cognitoIdentityId: null, cognitoAuthenticationType: null, cognitoAuthenticationProvider: null, principalOrgId: null }
        : { userArn: null, sourceIp: '203.0.113.7' },
    },
  } as ApiGatewayProxyEvent;
}

const forgeHeaders = (extra: Record<string, string> = {}) => ({ [IDENTITY_HEADERS.accountId]: JIRA_ADMIN, [IDENTITY_HEADERS.site]: 'acme.atlassian.net', ...extra });
const errorType = (res: { headers: Record<string, string> }) => res.headers['x-amzn-errortype'];
const bodyOf = (res: { body: string }) => JSON.parse(res.body) as Record<string, unknown>;

describe('Lambda entry: each principal with the event API Gateway sends for its identity type', () => {
  it('answers health in aws mode', async () => {
    const res = await handler(await event('GET', '/v1/health'));
    expect(res.statusCode).toBe(200);
    expect(bodyOf(res)).toMatchObject({ status: 'ok', mode: 'aws' });
  });

  it('the agent (assumed role) creates, and the Forge app (IAM user, long-term key) reads it', async () => {
    const created = await handler(await event('POST', '/v1/suggestions', {
      identity: identities.agent,
      body: { actionType: 'jira_comment', payload: { issueKey: 'ABC-9', body: 'hi' }, rationale: 'r', provenance: { source: 'agent', ref: 'run-7', excerpt: '' } },
    }));
    expect(created.statusCode).toBe(201);
    const listed = await handler(await event('GET', '/v1/suggestions', { identity: identities.forgeUser, query: { issueKey: 'ABC-9' }, headers: forgeHeaders() }));
    expect(listed.statusCode).toBe(200);
    expect(bodyOf(listed).items).toHaveLength(1);
    expect(logged.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^GET \/v1\/suggestions principal=forge status=200/));
    const viewer = await handler(await event('GET', '/v1/viewer', { identity: identities.forgeUser, headers: forgeHeaders() }));
    expect(bodyOf(viewer)).toMatchObject({ actor: { principal: 'forge', id: JIRA_ADMIN }, canApprove: true });
  });

  it('the Forge principal is the IAM user only: a role of the same name is not it', async () => {
    const res = await handler(await event('GET', '/v1/viewer', { identity: identities.forgeAsRole, headers: forgeHeaders() }));
    expect(res.statusCode).toBe(403);
    expect(errorType(res)).toBe('AccessDeniedException');
  });

  it('refuses unknown identities, other principals’ routes, and the local-only identity routes', async () => {
    expect(errorType(await handler(await event('GET', '/v1/suggestions', { identity: identities.unknownRole })))).toBe('AccessDeniedException');
    expect((await handler(await event('GET', '/v1/settings', { identity: identities.agent }))).statusCode).toBe(403);
    expect((await handler(await event('POST', '/v1/dev/token', { body: { sub: 'a', name: 'b', email: 'c@d.e' } }))).statusCode).toBe(404);
    expect((await handler(await event('POST', '/v1/sts', {}))).statusCode).toBe(404);
  });
});

describe('Lambda entry: Outlook identity comes from a verified token, never the session name', () => {
  it('a session named after an approver, without a token, gets no approver rights', async () => {
    const res = await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(PAT.email) }));
    expect(res.statusCode).toBe(403);
    expect(bodyOf(res).canApprove).toBeUndefined();
    expect(String(bodyOf(res).message)).toMatch(/x-pm-identity-token/);
  });

  it('a verified token bound to its session names the person, and approver rights follow the token’s email', async () => {
    const pat = await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(outlookSessionName(PAT.sub)), headers: { [IDENTITY_HEADERS.identityToken]: await token(PAT) } }));
    expect(pat.statusCode).toBe(200);
    expect(bodyOf(pat)).toMatchObject({ actor: { principal: 'outlook', id: PAT.email, name: PAT.name }, canApprove: true });
    const alice = await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(outlookSessionName(ALICE.sub)), headers: { [IDENTITY_HEADERS.identityToken]: await token(ALICE) } }));
    expect(bodyOf(alice)).toMatchObject({ actor: { id: ALICE.email }, canApprove: false });
  });

  it('refuses a token that does not belong to the session that signed', async () => {
    // Alice names her session after Pat and sends her own token, or Pat's token from her session.
    for (const [session, who] of [[PAT.email, ALICE], [outlookSessionName(PAT.sub), ALICE], [outlookSessionName(ALICE.sub), PAT]] as const) {
      const res = await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(session), headers: { [IDENTITY_HEADERS.identityToken]: await token(who) } }));
      expect(res.statusCode).toBe(403);
      expect(String(bodyOf(res).message)).toMatch(/another user than the STS session/);
    }
  });

  it.each([
    ['expired', { expiresIn: -120 }, /expired/],
    ['for another audience', { aud: 'api://someone-else' }, /another audience/],
    ['from another issuer', { iss: 'https://login.microsoftonline.com/other-tenant/v2.0' }, /another issuer/],
    ['signed with another key under the tenant key id', { key: 'other' as const }, /signature/],
    ['signed with an unknown key id', { key: 'other' as const, kid: 'attacker' }, /current keys/],
  ] as Array<[string, { expiresIn?: number; aud?: string; iss?: string; key?: 'other'; kid?: string }, RegExp]>)('refuses a token %s', async (_what, opts, reason) => {
    const t = await token(PAT, { ...opts, key: opts.key === 'other' ? otherKey : undefined });
    const res = await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(outlookSessionName(PAT.sub)), headers: { [IDENTITY_HEADERS.identityToken]: t } }));
    expect(res.statusCode).toBe(403);
    expect(String(bodyOf(res).message)).toMatch(reason);
    expect(res.body).not.toContain(t);
  });

  it('fetches the tenant keys once and caches them', async () => {
    const before = jwksFetches;
    for (let i = 0; i < 3; i++) {
      await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(outlookSessionName(PAT.sub)), headers: { [IDENTITY_HEADERS.identityToken]: await token(PAT) } }));
    }
    expect(jwksFetches).toBe(before);
    expect(jwksFetches).toBeGreaterThanOrEqual(1);
  });
});

describe('Lambda entry: identity headers count only when signed', () => {
  it('refuses an unsigned x-pm-role: admin and leaves the settings as they were', async () => {
    const before = bodyOf(await handler(await event('GET', '/v1/settings', { identity: identities.forgeUser, headers: forgeHeaders({ [IDENTITY_HEADERS.role]: 'admin' }) })));
    expect(before.version).toEqual(expect.any(Number));
    const res = await handler(await event('PUT', '/v1/settings', {
      identity: identities.forgeUser,
      headers: { ...forgeHeaders(), 'if-match': `"${before.version}"` },
      unsigned: { [IDENTITY_HEADERS.role]: 'admin' },
      body: { ...DEFAULT_SETTINGS, autonomyLevel: 'delegated', approvers: [{ name: 'Jira admin', jiraAccountId: JIRA_ADMIN }, { name: 'Attacker', jiraAccountId: '712020:attacker' }] },
    }));
    expect(res.statusCode).toBe(403);
    expect(errorType(res)).toBe('IncompleteSignatureException');
    expect(String(bodyOf(res).message)).toMatch(/x-pm-role is not in the request's SignedHeaders/);
    const after = bodyOf(await handler(await event('GET', '/v1/settings', { identity: identities.forgeUser, headers: forgeHeaders({ [IDENTITY_HEADERS.role]: 'admin' }) })));
    expect(after.version).toBe(before.version);
  });

  it('refuses an unsigned accountId, an unsigned token, and a request without its Authorization header', async () => {
    const account = await handler(await event('GET', '/v1/viewer', { identity: identities.forgeUser, headers: { [IDENTITY_HEADERS.site]: 'acme.atlassian.net' }, unsigned: { [IDENTITY_HEADERS.accountId]: JIRA_ADMIN } }));
    expect(errorType(account)).toBe('IncompleteSignatureException');
    const tok = await handler(await event('GET', '/v1/viewer', { identity: identities.outlook(outlookSessionName(PAT.sub)), unsigned: { [IDENTITY_HEADERS.identityToken]: await token(PAT) } }));
    expect(errorType(tok)).toBe('IncompleteSignatureException');
    const e = await event('GET', '/v1/viewer', { identity: identities.forgeUser, headers: forgeHeaders() });
    delete e.headers!.Authorization;
    delete e.multiValueHeaders!.Authorization;
    expect(errorType(await handler(e))).toBe('IncompleteSignatureException');
  });
});

describe('Lambda entry: paths are canonical before routing', () => {
  it.each(['/v1/suggestions/%2e%2e/viewer', '/v1/suggestions/../viewer', '/v1/suggestions/%5C..%5Cviewer'])('refuses %s with 400', async (path) => {
    const e = await event('GET', '/v1/viewer', { identity: identities.forgeUser, headers: forgeHeaders() });
    const res = await handler({ ...e, path });
    expect(res.statusCode).toBe(400);
    expect(String(bodyOf(res).message)).toMatch(/Paths may not contain/);
  });
});

describe('Lambda entry: the tenant keys are fetched with a bounded timeout', () => {
  it('answers 403 quickly when the key endpoint does not answer', async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
    const saved = process.env.PM_AGENT_OUTLOOK_OIDC;
    process.env.PM_AGENT_OUTLOOK_OIDC = JSON.stringify({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/keys`, timeoutMs: 300 });
    try {
      let fresh!: typeof handler;
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        fresh = (require('../src/aws/lambda-entry') as typeof import('../src/aws/lambda-entry')).handler;
      });
      const started = Date.now();
      const res = await fresh(await event('GET', '/v1/viewer', { identity: identities.outlook(outlookSessionName(PAT.sub)), headers: { [IDENTITY_HEADERS.identityToken]: await token(PAT) } }));
      expect(res.statusCode).toBe(403);
      expect(String(bodyOf(res).message)).toMatch(/keys could not be fetched/);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      process.env.PM_AGENT_OUTLOOK_OIDC = saved;
      silent.closeAllConnections();
      await new Promise((ok) => silent.close(ok));
    }
  });
});
