import { request } from 'node:http';
import { jiraModule } from '../src/jira';
import { startTestStack, type TestStack } from './support/stack';

/**
 * The local host is not a CSRF or DNS-rebinding target: a cross-site POST (the text/plain kind a
 * plain HTML form sends) and a request under a rebound Host name are refused with a clear 403,
 * and nothing changes; the host's own pages keep working.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack([jiraModule], { backend: { stages: false } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function attackBody(): Promise<string> {
  const { settings } = await stack.backend.store.getSettings();
  return JSON.stringify({
    module: 'adminPage',
    issueKey: '',
    as: 'pat',
    functionKey: 'saveSettings',
    payload: { settings: { ...settings, autonomyLevel: 'delegated', approvers: [...settings.approvers, { name: 'Mallory', email: 'mallory@evil.example' }] } },
  });
}

/** node:http, because fetch will not let a test choose the Host header. */
function raw(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(stack.host.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the local host refuses cross-site and rebound requests', () => {
  it('a cross-site text/plain POST to /jira/api/invoke with Origin: https://evil.example gets 403 and changes nothing', async () => {
    const before = await stack.backend.store.getSettings();
    const res = await fetch(`${stack.host.url}/jira/api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      body: await attackBody(),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/evil\.example.*refused/);
    const after = await stack.backend.store.getSettings();
    expect(after.version).toBe(before.version);
    expect(after.settings.autonomyLevel).toBe(before.settings.autonomyLevel);
  });

  it('a JSON POST from another origin is refused too', async () => {
    const res = await fetch(`${stack.host.url}/jira/api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: await attackBody() });
    expect(res.status).toBe(403);
  });

  it('a same-origin POST that is not JSON is refused with a message naming the type', async () => {
    const res = await fetch(`${stack.host.url}/jira/api/invoke`, { method: 'POST', headers: { 'content-type': 'text/plain', origin: stack.host.url }, body: await attackBody() });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/application\/json/);
  });

  it('Host: attacker.example (DNS rebinding) is refused on pages and on the API', async () => {
    const page = await raw('GET', '/jira/admin', { host: 'attacker.example' });
    expect(page.status).toBe(403);
    expect(page.body).toMatch(/answers only to 127\.0\.0\.1:\d+/);
    const { port } = new URL(stack.host.url);
    const api = await raw('POST', '/jira/api/invoke', { host: `attacker.example:${port}`, 'content-type': 'application/json' }, await attackBody());
    expect(api.status).toBe(403);
    expect((await stack.backend.store.getSettings()).settings.autonomyLevel).toBe('manual');
  });

  it('the host’s own page and a same-origin JSON invoke still work', async () => {
    expect((await raw('GET', '/jira/admin', { host: new URL(stack.host.url).host })).status).toBe(200);
    const res = await fetch(`${stack.host.url}/jira/api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: stack.host.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ module: 'adminPage', issueKey: '', as: 'pat', functionKey: 'getSettings', payload: {} }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
  });
});
