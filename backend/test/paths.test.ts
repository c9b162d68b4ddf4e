import { request } from 'node:http';
import { AwsV4Signer } from 'aws4fetch';
import { IDENTITY_HEADERS } from '@pm-agent/shared';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { startTestBackend, type TestBackend } from './support/local-backend';

/**
 * Paths are canonical before they are signed or routed. SigV4 signs the path with dot segments
 * removed, so a signature made for /v1/viewer also verifies for /v1/suggestions/%2e%2e/viewer; the
 * backend must refuse such a path before routing rather than serve /v1/viewer. Sent with node:http,
 * because fetch would normalise the path before it leaves.
 */
let b: TestBackend;
beforeAll(async () => (b = await startTestBackend()));
afterAll(() => b.stop());

async function sendRaw(rawPath: string, signedFor: string): Promise<{ status: number; body: string }> {
  const signer = new AwsV4Signer({
    method: 'GET',
    url: `${b.url}${signedFor}`,
    headers: { [IDENTITY_HEADERS.accountId]: LOCAL_USER.accountId, [IDENTITY_HEADERS.site]: LOCAL_USER.site },
    ...b.forgeKeys,
    region: 'local',
    service: 'execute-api',
    allHeaders: true,
  });
  const signed = await signer.sign();
  const headers: Record<string, string> = {};
  signed.headers.forEach((v, k) => (headers[k] = v));
  const { hostname, port } = new URL(b.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method: 'GET', path: rawPath, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('non-canonical paths, against the real verifier', () => {
  it('serves the canonical path (the signature is good)', async () => {
    expect((await sendRaw('/v1/viewer', '/v1/viewer')).status).toBe(200);
  });

  it.each([
    '/v1/suggestions/%2e%2e/viewer',
    '/v1/suggestions/%2E%2E/viewer',
    '/v1/suggestions/.%2e/viewer',
    '/v1/suggestions/../viewer',
    '/v1/./viewer',
    '/v1/suggestions/%5c..%5cviewer',
  ])('refuses %s with 400 before routing', async (rawPath) => {
    const res = await sendRaw(rawPath, '/v1/viewer');
    expect(res.status).toBe(400);
    expect((JSON.parse(res.body) as { message: string }).message).toMatch(/Paths may not contain/);
  });

  it('refuses a raw backslash', async () => {
    const res = await sendRaw('/v1/suggestions/\\..\\viewer', '/v1/viewer');
    expect(res.status).toBe(400);
  });
});
