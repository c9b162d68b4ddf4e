import { join } from 'node:path';
import { z } from 'zod';
import { IssueKey } from '@pm-agent/shared';
import { RESOLVER_NAMES, type ResolverName } from '@pm-agent/forge-app/common/contract';
import { RESOURCES } from '@pm-agent/forge-app/common/modules';
import { resolverDefinitions } from '@pm-agent/forge-app/resolvers';
import { createMemoryPorts, forgeContextFor } from '@pm-agent/forge-app/stand-ins';
import { browserBundle } from '../browser-bundle';
import type { HostModule, HostModuleFactory } from '../module';
import { LOCAL_JIRA_USERS, userFor } from './users';

/**
 * The Jira side of the local host: the real UI Kit bundles of the issue panel and the admin page
 * in a page that plays Jira's part (page/host.ts), and the REAL resolvers running here in Node
 * with a Forge-shaped context. The platform under the resolvers (storage, admin check) is the
 * in-memory one the Forge app ships for hosts like this; the connection to the local backend is
 * entered at start-up through the app's own saveConnection resolver, as an admin would.
 */
const ROOT = join(__dirname, '../../..');
const PAGE_ENTRY = join(__dirname, 'page/host.ts');
const PAGE_CSS = join(__dirname, 'page/host.css');

const PageSchema = z.strictObject({ module: z.enum(['issuePanel', 'adminPage', 'inboxPage']), issueKey: z.union([IssueKey, z.literal('')]), as: z.string().max(20) });
const InvokeSchema = PageSchema.extend({ functionKey: z.enum(RESOLVER_NAMES as [ResolverName, ...ResolverName[]]), payload: z.unknown() });

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

export const jiraModule: HostModuleFactory = async (ctx) => {
  const pat = LOCAL_JIRA_USERS.pat;
  const ports = createMemoryPorts({ admins: Object.values(LOCAL_JIRA_USERS).filter((u) => u.admin).map((u) => u.accountId), echo: ctx.log });
  const resolvers = resolverDefinitions(ports);
  const { principals, region } = ctx.backend.files.credentials;
  const saved = await resolvers.saveConnection({
    payload: { endpoint: ctx.backend.url, region, accessKeyId: principals.forge.accessKeyId, secretAccessKey: principals.forge.secretAccessKey },
    context: forgeContextFor('adminPage', { accountId: pat.accountId }).resolver,
  });
  if (!(saved as { ok: boolean }).ok) throw new Error(`could not connect the local Forge app to the backend: ${JSON.stringify(saved)}`);

  const bundle = () =>
    browserBundle('jira-pages', {
      entryPoints: { host: PAGE_ENTRY, 'issue-panel': join(ROOT, RESOURCES.issuePanel.path), 'admin-page': join(ROOT, RESOURCES.adminPage.path), 'inbox-page': join(ROOT, RESOURCES.inboxPage.path), 'host-css': PAGE_CSS },
      define: { 'process.env.NODE_ENV': '"production"' },
      splitting: true,
      loader: { '.css': 'css' },
    });
  void bundle(); // start building now, so the first page load does not wait

  const issueTitle = (key: string) => ctx.backend.jira?.state.issue(key)?.summary ?? '(an issue the Jira double does not know)';

  const page = (module: 'issuePanel' | 'adminPage' | 'inboxPage', issueKey: string, as: string) => {
    const user = LOCAL_JIRA_USERS[userFor(as)];
    const script = { issuePanel: 'issue-panel', adminPage: 'admin-page', inboxPage: 'inbox-page' }[module];
    const title = { issuePanel: issueKey, adminPage: 'PM agent admin', inboxPage: 'PM agent inbox' }[module];
    const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const frame =
      module === 'issuePanel'
        ? `<main><section class="issue"><h1>${esc(issueKey)}: ${esc(issueTitle(issueKey))}</h1><p>The issue as Jira would show it. The PM agent panel is on the right.</p></section><section class="panel"><h2>PM agent</h2><div id="forge-root"></div></section></main>`
        : `<div class="admin"><h1>${module === 'inboxPage' ? 'PM agent: inbox' : 'PM agent: settings'}</h1><div id="forge-root"></div></div>`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}: local Jira host</title><link rel="stylesheet" href="/jira/static/host-css.css"></head>
<body data-module="${module}"${ctx.liveRefreshMs ? ` data-pm-live-refresh-ms="${ctx.liveRefreshMs}"` : ''} data-issue-key="${esc(issueKey)}" data-as="${esc(userFor(as))}" data-users="${esc(JSON.stringify(Object.values(LOCAL_JIRA_USERS).map((u) => ({ id: u.accountId, name: u.name }))))}"><header class="jira">Local Jira host (a stand-in for Jira) · signed in as ${esc(user.name)} · <a href="?as=${userFor(as) === 'pat' ? 'riley' : 'pat'}">switch user</a> · <a href="/jira/inbox">inbox</a> · <a href="/jira/admin">admin page</a></header><div id="host-status"></div>${frame}
<script type="module" src="/jira/static/host.js"></script><script type="module" src="/jira/static/${script}.js"></script></body></html>`;
    return new Response(html, { headers: HTML_HEADERS });
  };

  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });

  const readPage = async (req: Request, schema: typeof PageSchema | typeof InvokeSchema) => {
    const parsed = schema.safeParse(await req.json().catch(() => undefined));
    if (!parsed.success) throw Object.assign(new Error(`bad request: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`), { status: 400 });
    return parsed.data;
  };

  const routes: Array<{ method: string; pattern: RegExp; run: (req: Request, m: RegExpExecArray, url: URL) => Promise<Response> }> = [
    { method: 'GET', pattern: /^\/jira\/issue\/([A-Z][A-Z0-9_]{0,9}-[1-9][0-9]{0,8})$/, run: async (_r, m, url) => page('issuePanel', m[1]!, url.searchParams.get('as') ?? '') },
    { method: 'GET', pattern: /^\/jira\/admin$/, run: async (_r, _m, url) => page('adminPage', '', url.searchParams.get('as') ?? '') },
    { method: 'GET', pattern: /^\/jira\/inbox$/, run: async (_r, _m, url) => page('inboxPage', '', url.searchParams.get('as') ?? '') },
    {
      method: 'GET',
      pattern: /^\/jira\/static\/([\w-]+\.(?:js|css))$/,
      run: async (_r, m) => {
        const file = (await bundle()).get(m[1]!);
        if (!file) return new Response('not found', { status: 404 });
        return new Response(Buffer.from(file), { headers: { 'content-type': m[1]!.endsWith('.css') ? 'text/css' : 'text/javascript', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });
      },
    },
    {
      method: 'POST',
      pattern: /^\/jira\/api\/context$/,
      run: async (req) => {
        const p = await readPage(req, PageSchema);
        const user = LOCAL_JIRA_USERS[userFor(p.as)];
        return json(200, { ok: true, value: forgeContextFor(p.module, { accountId: user.accountId, issueKey: p.issueKey || undefined }).view });
      },
    },
    {
      method: 'POST',
      pattern: /^\/jira\/api\/invoke$/,
      run: async (req) => {
        const p = (await readPage(req, InvokeSchema)) as z.infer<typeof InvokeSchema>;
        const user = LOCAL_JIRA_USERS[userFor(p.as)];
        // The context comes from the host (as Forge builds it), never from the page's payload.
        const context = forgeContextFor(p.module, { accountId: user.accountId, issueKey: p.issueKey || undefined }).resolver;
        const value = await resolvers[p.functionKey]({ payload: p.payload, context });
        return json(200, { ok: true, value });
      },
    },
  ];

  const module: HostModule = {
    prefix: '/jira',
    describe: [
      { path: '/jira/issue/ABC-123', what: 'the Jira issue panel for ABC-123 (add ?as=riley to see it as a non-approver)' },
      { path: '/jira/admin', what: 'the Jira admin page' },
      { path: '/jira/inbox', what: 'the approvals inbox (a Jira global page)' },
    ],
    async handle(req, url) {
      for (const r of routes) {
        const m = r.pattern.exec(url.pathname);
        if (m && req.method === r.method) {
          try {
            return await r.run(req, m, url);
          } catch (e) {
            const status = (e as { status?: number }).status ?? 500;
            return json(status, { ok: false, error: (e as Error).message });
          }
        }
      }
      return new Response(`Nothing at ${url.pathname}.`, { status: 404 });
    },
  };
  return module;
};
