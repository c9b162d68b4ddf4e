import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL } from '@pm-agent/dev-stack';
import { buildTaskPane } from '@pm-agent/outlook-addin/build';
import { PaneConfigSchema } from '@pm-agent/outlook-addin/auth/config';
import { findSecrets } from '@pm-agent/outlook-addin/test/support/secrets';
import { startLocalHost, type LocalHost } from '../../src/host';
import { FIXTURES_DIR } from '../../src/outlook/emails';
import { outlookModule } from '../../src/outlook';
import { paneCsp } from '../../src/outlook/pages';

/**
 * The Outlook module over HTTP (no browser): the email list, POST /outlook/emails, the pages and
 * their CSP, the dev config, and that nothing it serves carries a secret of the running stack.
 */
let home: string;
let backend: LocalBackend;
let host: LocalHost;
let base: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'pm-agent-outlook-http-'));
  backend = await startLocalBackend({ home, port: 0, seed: false, stages: false });
  host = await startLocalHost({ port: 0, factories: [outlookModule], context: { backend, home } });
  base = `${host.url}/outlook`;
});

afterAll(async () => {
  await host?.close();
  await backend?.close();
  rmSync(home, { recursive: true, force: true });
});

const fixture = (group: string, name: string) => JSON.parse(readFileSync(join(FIXTURES_DIR, group, `${name}.json`), 'utf8')) as Record<string, unknown>;
const post = (body: string, type = 'application/json') => fetch(`${base}/emails`, { method: 'POST', headers: { 'content-type': type }, body });

describe('emails', () => {
  test('the list has the whole corpus, ordinary and hostile, with the deadline sample', async () => {
    const list = (await (await fetch(`${base}/emails`)).json()) as Array<{ id: string; group: string; subject: string }>;
    expect(list.filter((e) => e.group === 'ordinary').length).toBeGreaterThanOrEqual(10);
    expect(list.filter((e) => e.group === 'hostile').length).toBeGreaterThanOrEqual(55);
    expect(list).toContainEqual({ id: 'deadline-moves-abc-123', group: 'ordinary', subject: 'ABC-123: payments sandbox now available from 4 December', from: 'Dana Whitfield' });
    await expect((await fetch(`${base}/emails/deadline-moves-abc-123`)).json()).resolves.toEqual(fixture('ordinary', 'deadline-moves-abc-123'));
  });

  test('POST accepts any EmailInput and returns its id; the host page opens it', async () => {
    const email = { ...fixture('hostile', 'subject-injection'), internetMessageId: '<posted-1@example.com>' };
    const res = await post(JSON.stringify(email));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^posted-[0-9a-f]{16}$/);
    await expect((await fetch(`${base}/emails/${id}`)).json()).resolves.toEqual(email);
    const page = await fetch(`${base}/?email=${id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`src="taskpane.html?item=${id}"`);
  });

  test.each([
    ['not JSON', '{"subject":', 'application/json', 400, /not valid JSON/],
    ['the wrong content type (the host’s CSRF guard)', '{}', 'text/plain', 403, /accepts changes only as application\/json/],
    ['a missing field', JSON.stringify({ subject: 'x' }), 'application/json', 400, /internetMessageId/],
    ['an unknown field', JSON.stringify({ ...fixture('ordinary', 'deadline-moves-abc-123'), html: '<b>' }), 'application/json', 400, /unknown field: html/],
    ['a sender that is not an address', JSON.stringify({ ...fixture('ordinary', 'deadline-moves-abc-123'), from: { address: '<script>' } }), 'application/json', 400, /from\.address must be an email address/],
  ])('POST refuses %s with a message naming the problem', async (_what, body, type, status, message) => {
    const res = await post(body, type);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
  });

  test('POST refuses a body over the triage size limit (8 MiB) with 413', async () => {
    const res = await post(JSON.stringify({ bodyText: 'x'.repeat(8 * 1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
  });

  test('an unknown id: the host page says so and opens the pane with no email', async () => {
    const res = await fetch(`${base}/?email=nope-not-here`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('There is no email &#34;nope-not-here&#34; on this host.');
    expect(html).toContain('src="taskpane.html?item=none"');
    expect((await fetch(`${base}/emails/nope-not-here`)).status).toBe(404);
  });
});

describe('pages, config and safety', () => {
  test('the pane page is the production page with only the Office.js stand-in swapped in', async () => {
    const local = await (await fetch(`${base}/taskpane.html`)).text();
    // As built (build.ts inlines the opening JS and the CSS into public/taskpane.html).
    const production = new TextDecoder().decode((await buildTaskPane()).files.get('taskpane.html'));
    const strip = (s: string) => s.replace(/<!--[^>]*-->\s*<meta http-equiv="Content-Security-Policy"[^>]*>\s*/, '');
    expect(local).toBe(strip(production).replace('https://appsforoffice.microsoft.com/lib/1/hosted/office.js', 'office-stand-in.js'));
    expect(await (await fetch(`${base}/office-stand-in.js`)).text()).toContain('olkItemSelectedChanged');
  });

  test('the pane page for one email carries it as a data block the stand-in reads; email text cannot close the block or add a script', async () => {
    const hostile = { ...fixture('ordinary', 'deadline-moves-abc-123'), internetMessageId: '<data-block@example.com>', subject: '</script><script src="x.js"></script><!-- <SCRIPT>', bodyText: '</SCRIPT ><img src=x onerror=alert(1)>' };
    const { id } = (await (await post(JSON.stringify(hostile))).json()) as { id: string };
    const html = await (await fetch(`${base}/taskpane.html?item=${id}`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.map((m) => m[1]!.trim())).toEqual(['type="application/json" id="office-stand-in-item"', 'src="office-stand-in.js"', 'type="module" id="pane-opening"']);
    expect(JSON.parse(scripts[0]![2]!)).toEqual(hostile);
    expect(html).not.toMatch(/<img|<!-- <SCRIPT/i);
    // String replacement patterns in email text stay text: "$'" would paste the page's own tail into the block.
    const dollars = { ...hostile, internetMessageId: '<dollars@example.com>', subject: "Invoice: US$$5 due, run echo $'ok' and $& $` now" };
    const posted = (await (await post(JSON.stringify(dollars))).json()) as { id: string };
    const page = await (await fetch(`${base}/taskpane.html?item=${posted.id}`)).text();
    const blocks = [...page.matchAll(/<script type="application\/json" id="office-stand-in-item">([\s\S]*?)<\/script>/g)];
    expect(blocks).toHaveLength(1);
    expect(JSON.parse(blocks[0]![1]!)).toEqual(dollars);
    expect(page.match(/<main/g)).toHaveLength(1);
    // Unknown or malformed ids get the plain page (the stand-in then reports no email).
    for (const item of ['nope-0000000000000000', '"><script>', 'none']) {
      const page = await (await fetch(`${base}/taskpane.html?item=${encodeURIComponent(item)}`)).text();
      expect(page).not.toContain('office-stand-in-item');
    }
  });

  test("the pane page's CSP header: the production policy (inline only the page's own opening JS and CSS, by hash), images only from self and data:, API calls only to self and the backend", async () => {
    const res = await fetch(`${base}/taskpane.html`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const built = await buildTaskPane();
    const directives = (policy: string) => new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]): [string, string] => [name!, sources.join(' ')]));
    const production = directives(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(new TextDecoder().decode(built.files.get('taskpane.html')))![1]!);
    const local = directives(csp);
    // Every directive of the production page's policy, unchanged but for where Office.js and the backend are, and who may frame the pane.
    expect([...local.keys()].sort()).toEqual([...production.keys(), 'frame-ancestors'].sort());
    for (const [name, sources] of production) if (name !== 'script-src' && name !== 'connect-src') expect(`${name} ${local.get(name)}`).toBe(`${name} ${sources}`);
    expect(local.get('script-src')).toBe(`'self' ${built.inline.scriptHash}`);
    expect(local.get('style-src')).toBe(`'self' ${built.inline.styleHash}`);
    expect(local.get('connect-src')).toBe(`'self' ${backend.url}`);
    expect(local.get('frame-ancestors')).toBe("'self'");
    // A policy the local host could read differently from a browser is refused, not guessed at.
    for (const policy of ["script-src 'self'; script-src *", "Connect-Src *; script-src 'self'"]) {
      expect(() => paneCsp(`<meta http-equiv="Content-Security-Policy" content="${policy}">`, backend.url)).toThrow(/repeated or upper-case/);
    }
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).toContain(`connect-src 'self' ${backend.url}`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const hostCsp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
    expect(hostCsp).toContain("script-src 'self'");
    expect(hostCsp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  test('config.json: dev sign-in against this backend, its dev issuer and local STS, valid for the pane', async () => {
    const config = PaneConfigSchema.parse(await (await fetch(`${base}/config.json`)).json());
    expect(config).toEqual({
      endpoint: backend.url,
      region: LOCAL.region,
      auth: { mode: 'dev', tokenEndpoint: `${host.url}/outlook/sign-in/token`, stsEndpoint: `${backend.url}/v1/sts`, roleArn: LOCAL.outlookRoleArn },
      jiraBrowseUrl: `${host.url}/jira/issue`,
    });
  });

  test("nothing the browser can download holds a secret of this stack: the pane only gets STS session keys at run time", async () => {
    const list = ['/', '/taskpane.html', '/config.json', '/office-stand-in.js', '/host.js', '/host.css', '/emails'];
    const pane = await (await fetch(`${base}/taskpane.html`)).text(); // the opening JS is inline; it names the controller's chunks
    const chunks = [...new Set([...pane.matchAll(/(chunks\/[\w-]+\.js)/g)].map((m) => `/${m[1]}`))];
    const files = await Promise.all([...list, ...chunks].map(async (p) => ({ name: p, text: await (await fetch(`${base}${p}`)).text() })));
    expect(chunks.length).toBeGreaterThan(0);
    const f = backend.files;
    const known = [
      ...Object.values(f.credentials.principals).flatMap((k) => [k.accessKeyId, k.secretAccessKey]),
      f.serverKeys.sessionSealKey,
      ...f.serverKeys.devIssuerPrivateKeyPem.split('\n').filter((l) => l.length >= 40),
      f.stageSecrets.JIRA_API_TOKEN,
      f.devSignInSecret,
    ];
    expect(findSecrets(files, known)).toEqual([]);
  });

  test('only GET (and POST on /emails and /sign-in/token) is accepted', async () => {
    expect((await fetch(`${base}/taskpane.html`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(405);
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
  });
});
