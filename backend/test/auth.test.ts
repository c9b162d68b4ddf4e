import { AwsClient } from 'aws4fetch';
import { IDENTITY_HEADERS } from '@pm-agent/shared';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { startTestBackend, type TestBackend } from './support/local-backend';

/** The acceptance list for signing: each tampering is refused with API Gateway's 403 shape. */
let b: TestBackend;
let forgeSigner: AwsClient;
const identity = { [IDENTITY_HEADERS.accountId]: LOCAL_USER.accountId, [IDENTITY_HEADERS.site]: LOCAL_USER.site, 'content-type': 'application/json' };

beforeAll(async () => {
  b = await startTestBackend();
  forgeSigner = new AwsClient({ ...b.forgeKeys, region: 'local', service: 'execute-api', retries: 0 });
});
afterAll(() => b.stop());

async function firstId(): Promise<string> {
  const r = await b.forge('/v1/suggestions?issueKey=ABC-123');
  return ((await r.json()) as { items: Array<{ id: string }> }).items[0]!.id;
}

/** Signs a reject request as forge, then lets the test change something before sending it. */
async function signedReject(path: string, body = '{"reason":"duplicate of ABC-99"}', datetime?: string): Promise<Request> {
  return forgeSigner.sign(b.url + path, { method: 'POST', headers: identity, body, aws: { allHeaders: true, ...(datetime ? { datetime } : {}) } } as RequestInit);
}

async function expectGateway403(res: Response, errorType: string, message?: RegExp): Promise<void> {
  expect(res.status).toBe(403);
  expect(res.headers.get('x-amzn-errortype')).toBe(errorType);
  expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  const body = (await res.json()) as { message: string };
  expect(typeof body.message).toBe('string');
  if (message) expect(body.message).toMatch(message);
}

async function stateOf(id: string): Promise<string> {
  return ((await (await b.forge(`/v1/suggestions/${id}`)).json()) as { suggestion: { state: string } }).suggestion.state;
}

describe('SigV4 at the API edge', () => {
  it('accepts an aws4fetch-signed request made with the local keys', async () => {
    const res = await b.forge('/v1/suggestions?issueKey=ABC-123');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('answers health without a signature', async () => {
    expect((await fetch(`${b.url}/v1/health`)).status).toBe(200);
  });

  it('refuses a changed body', async () => {
    const id = await firstId();
    const signed = await signedReject(`/v1/suggestions/${id}/reject`);
    const res = await fetch(new Request(signed, { body: '{"reason":"approved by the CEO"}' }));
    await expectGateway403(res, 'InvalidSignatureException', /signature we calculated does not match/);
    expect(await stateOf(id)).toBe('pending');
  });

  it('refuses a changed path', async () => {
    const id = await firstId();
    const signed = await signedReject(`/v1/suggestions/${id}/reject`);
    const res = await fetch(new Request(signed.url.replace('/reject', '/approve'), signed));
    await expectGateway403(res, 'InvalidSignatureException');
  });

  it('refuses a changed query', async () => {
    const signed = await forgeSigner.sign(`${b.url}/v1/suggestions?issueKey=ABC-123`, { headers: identity, aws: { allHeaders: true } } as RequestInit);
    const res = await fetch(new Request(signed.url.replace('ABC-123', 'ABC-124'), signed));
    await expectGateway403(res, 'InvalidSignatureException');
  });

  it('refuses a changed signed header (the Jira user)', async () => {
    const signed = await forgeSigner.sign(`${b.url}/v1/viewer`, { headers: identity, aws: { allHeaders: true } } as RequestInit);
    const headers = new Headers(signed.headers);
    headers.set(IDENTITY_HEADERS.accountId, '712020:someone-else');
    await expectGateway403(await fetch(signed.url, { headers }), 'InvalidSignatureException');
  });

  it('refuses forge calls whose identity headers are not signed', async () => {
    const signed = await forgeSigner.sign(`${b.url}/v1/viewer`, {} as RequestInit);
    const headers = new Headers(signed.headers);
    headers.set(IDENTITY_HEADERS.accountId, LOCAL_USER.accountId);
    headers.set(IDENTITY_HEADERS.site, LOCAL_USER.site);
    await expectGateway403(await fetch(signed.url, { headers }), 'IncompleteSignatureException', /x-pm-account-id/);
  });

  it('refuses an unsigned x-pm-role: admin on a signed forge call, and the settings stay as they were', async () => {
    const before = (await (await b.forge('/v1/settings', { admin: true })).json()) as { version: number };
    const body = JSON.stringify({ autonomyLevel: 'delegated', boundaryOverrides: {}, approvers: [{ name: 'Attacker', jiraAccountId: '712020:attacker' }], holdDelayMinutes: 30, paused: false });
    const signed = await forgeSigner.sign(`${b.url}/v1/settings`, { method: 'PUT', headers: { ...identity, 'if-match': `"${before.version}"` }, body, aws: { allHeaders: true } } as RequestInit);
    const headers = new Headers(signed.headers);
    headers.set(IDENTITY_HEADERS.role, 'admin');
    await expectGateway403(await fetch(signed.url, { method: 'PUT', headers, body }), 'IncompleteSignatureException', /x-pm-role is not in the request's SignedHeaders/);
    expect(((await (await b.forge('/v1/settings', { admin: true })).json()) as { version: number }).version).toBe(before.version);
  });

  it("refuses another principal's route: the agent cannot approve, forge cannot create suggestions", async () => {
    const id = await firstId();
    const asAgent = await b.call(b.agent, `/v1/suggestions/${id}/approve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payloadHash: 'a'.repeat(64) }) });
    await expectGateway403(asAgent, 'AccessDeniedException', /User: agent is not authorized to perform: execute-api:Invoke/);
    const asForge = await b.forge('/v1/suggestions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expectGateway403(asForge, 'AccessDeniedException', /User: forge/);
    expect(await stateOf(id)).toBe('pending');
  });

  it('refuses an unknown key', async () => {
    const stranger = new AwsClient({ accessKeyId: 'AKIDUNKNOWNEXAMPLE00', secretAccessKey: 'not-a-real-secret-0123456789', region: 'local', service: 'execute-api', retries: 0 });
    await expectGateway403(await stranger.fetch(`${b.url}/v1/suggestions`), 'UnrecognizedClientException');
  });

  it('refuses a date 6 minutes off, either way', async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const signed = await forgeSigner.sign(`${b.url}/v1/viewer`, { headers: identity, aws: { allHeaders: true, datetime: at(offset) } } as RequestInit);
      await expectGateway403(await fetch(signed), 'InvalidSignatureException', /Signature (expired|not yet current)/);
    }
  });

  it('refuses a key signed for another region or service', async () => {
    const elsewhere = new AwsClient({ ...b.forgeKeys, region: 'us-east-1', service: 'execute-api', retries: 0 });
    await expectGateway403(await elsewhere.fetch(`${b.url}/v1/viewer`, { headers: identity, aws: { allHeaders: true } } as RequestInit), 'InvalidSignatureException', /region/);
  });

  it('never logs a secret or a signature', async () => {
    await b.forge('/v1/viewer');
    const all = b.logs.join('\n');
    expect(all).toContain('GET /v1/viewer principal=forge status=200');
    expect(all).not.toContain(b.forgeKeys.secretAccessKey);
    expect(all).not.toMatch(/Signature=|AWS4-HMAC-SHA256|Credential=/);
  });
});
