import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Only the listed browser origin may read answers; preflight allows exactly the signing headers. */
const home = mkdtempSync(join(tmpdir(), 'pm-agent-cors-'));
let b: LocalBackend;
beforeAll(async () => (b = await startLocalBackend({ home, port: 0, seed: false, corsOrigins: ['http://127.0.0.1:8788'] })));
afterAll(async () => {
  await b.close();
  rmSync(home, { recursive: true, force: true });
});

it('answers the preflight of the allowed origin and refuses others', async () => {
  const ok = await fetch(`${b.url}/v1/triage`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8788', 'access-control-request-method': 'POST' } });
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8788');
  expect(ok.headers.get('access-control-allow-headers')).toContain('x-amz-security-token');
  // The Outlook pane sends its user's identity token on every call; a browser refused them all without it.
  expect(ok.headers.get('access-control-allow-headers')?.split(', ')).toContain('x-pm-identity-token');
  const evil = await fetch(`${b.url}/v1/triage`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
  expect(evil.status).toBe(403);
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();
});

it('marks answers readable for the allowed origin only, exposing the request id', async () => {
  const ok = await fetch(`${b.url}/v1/health`, { headers: { origin: 'http://127.0.0.1:8788' } });
  expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8788');
  expect(ok.headers.get('access-control-expose-headers')).toContain('x-amzn-requestid');
  const other = await fetch(`${b.url}/v1/health`, { headers: { origin: 'https://evil.example' } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
});
