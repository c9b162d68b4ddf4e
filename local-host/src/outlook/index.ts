import { join } from 'node:path';
import { EmailInputSchema, TRIAGE_LIMITS } from '@pm-agent/shared';
import { DEV_SIGN_IN_HEADER, LOCAL } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { Problem } from '@pm-agent/backend/domain';
import { parseJsonBody, readBody } from '@pm-agent/backend/api';
import { buildTaskPane } from '@pm-agent/outlook-addin/build';
import { parseConfig, type PaneConfig } from '@pm-agent/outlook-addin/auth/config';
import { browserBundle } from '../browser-bundle';
import type { HostContext, HostModule, HostModuleFactory } from '../module';
import { DEFAULT_EMAIL_ID, EMAIL_ID, EmailBook } from './emails';
import { HOST_CSP, HOST_CSS, hostPage, localPanePage, paneCsp, panePageWithItem } from './pages';

/**
 * The Outlook task pane on the local host, under /outlook:
 *   /outlook/?email=<id>        the host page: email list + the pane in a frame (default: the ABC-123 deadline email)
 *   /outlook/taskpane.html      the production pane page, loading the Office.js stand-in instead of the CDN
 *   /outlook/config.json        dev-mode config: the local backend, dev identity provider and local STS
 *   /outlook/office-stand-in.js the LOCAL STAND-IN for Office.js (see office-stand-in.ts)
 *   GET  /outlook/emails        the email list;   GET /outlook/emails/<id>  one email (EmailInput)
 *   POST /outlook/emails        any EmailInput → 201 {"id"}, kept in memory
 *   POST /outlook/sign-in/token the pane's dev sign-in: forwarded to the dev issuer with the secret only this host holds
 * plus the built pane files (the controller's and MSAL's chunks, icons; the page inlines the opening JS and CSS).
 */
export const PREFIX = '/outlook';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  png: 'image/png',
};
const BASE_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };

function respond(body: BodyInit | null, status: number, type: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'content-type': type, ...BASE_HEADERS, ...extra } });
}
const json = (status: number, value: unknown) => respond(JSON.stringify(value), status, TYPES.json!);
const problem = (status: number, error: string, message: string, extra: object = {}) => json(status, { error, message, ...extra });

/**
 * The pane's config for the local stack, checked by the pane's own schema before it is served.
 * Jira issue links go to the local host's own Jira issue panel (/jira/issue/<key>), the local
 * stand-in for https://<site>.atlassian.net/browse/<key>.
 */
export function localPaneConfig(ctx: HostContext): PaneConfig {
  const backend = ctx.backend.url;
  return parseConfig({
    endpoint: backend,
    region: LOCAL.region,
    // The token comes through this host, which alone holds the dev issuer's sign-in secret.
    auth: { mode: 'dev', tokenEndpoint: `${ctx.origin}${PREFIX}/sign-in/token`, stsEndpoint: `${backend}/v1/sts`, roleArn: LOCAL.outlookRoleArn },
    jiraBrowseUrl: `${ctx.origin}/jira/issue`,
    ...(ctx.liveRefreshMs ? { liveRefreshMs: ctx.liveRefreshMs } : {}),
  });
}

export const outlookModule: HostModuleFactory = async (ctx) => {
  const book = EmailBook.fromFixtures(undefined, ctx.log);
  const [pane, standIn, host] = await Promise.all([
    buildTaskPane(),
    browserBundle('outlook-office-stand-in', {
      entryPoints: { 'office-stand-in': join(__dirname, 'office-stand-in.ts') },
      format: 'iife',
      define: { __STAND_IN_PROFILE__: JSON.stringify({ displayName: LOCAL_USER.name, emailAddress: LOCAL_USER.email }) },
    }),
    browserBundle('outlook-host-frame', { entryPoints: { host: join(__dirname, 'host-frame.ts') } }),
  ]);
  const config = JSON.stringify(localPaneConfig(ctx));
  const productionPage = new TextDecoder().decode(pane.files.get('taskpane.html'));
  const panePage = localPanePage(productionPage);
  const csp = paneCsp(productionPage, new URL(ctx.backend.url).origin);

  const staticFile = (name: string): Response | undefined => {
    const bytes = pane.files.get(name) ?? (name === 'office-stand-in.js' ? standIn.get(name) : name === 'host.js' ? host.get(name) : undefined);
    if (!bytes || name === 'taskpane.html') return undefined;
    const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
    return respond(bytes as Uint8Array<ArrayBuffer>, 200, type, type.startsWith('text/html') ? { 'content-security-policy': csp } : {});
  };

  async function postEmail(req: Request): Promise<Response> {
    try {
      const body = await readBody(req, TRIAGE_LIMITS.requestBytes);
      const email = parseJsonBody(body, req.headers.get('content-type'), EmailInputSchema, 'email');
      return json(201, { id: book.add(email) });
    } catch (e) {
      if (e instanceof Problem) return problem(e.status, e.code, e.message, e.extra);
      throw e;
    }
  }

  /** The local host's own sign-in: it alone holds the secret the dev issuer asks for (same-origin JSON only; see request-guard.ts). */
  async function signIn(req: Request): Promise<Response> {
    try {
      const res = await fetch(`${ctx.backend.url}/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [DEV_SIGN_IN_HEADER]: ctx.backend.files.devSignInSecret },
        body: Buffer.from(await readBody(req, 4_096)),
      });
      return respond(await res.text(), res.status, TYPES.json!);
    } catch (e) {
      if (e instanceof Problem) return problem(e.status, e.code, e.message, e.extra);
      throw e;
    }
  }

  const module: HostModule = {
    prefix: PREFIX,
    describe: [{ path: `${PREFIX}/`, what: 'Outlook task pane with a local Office.js stand-in and the sample emails (ordinary and hostile)' }],
    async handle(req, url) {
      const rest = url.pathname.slice(PREFIX.length).replace(/^\//, '');
      if (rest === 'emails' && req.method === 'POST') return postEmail(req);
      if (rest === 'sign-in/token' && req.method === 'POST') return signIn(req);
      if (req.method !== 'GET' && req.method !== 'HEAD') return problem(405, 'method_not_allowed', `${url.pathname} accepts GET${rest === 'emails' ? ' and POST' : ''}.`);
      if (rest === '') {
        const asked = url.searchParams.get('email');
        const id = asked ?? DEFAULT_EMAIL_ID;
        const known = id === 'none' || (EMAIL_ID.test(id) && book.get(id) !== undefined);
        const notice = known ? undefined : `There is no email "${id.slice(0, 100)}" on this host. POST it to ${PREFIX}/emails first.`;
        const shown = known ? id : 'none';
        return respond(hostPage(`taskpane.html?item=${encodeURIComponent(shown)}`, shown, notice), known ? 200 : 404, TYPES.html!, { 'content-security-policy': HOST_CSP });
      }
      if (rest === 'taskpane.html') {
        const item = url.searchParams.get('item');
        const email = item && EMAIL_ID.test(item) ? book.get(item) : undefined;
        return respond(email ? panePageWithItem(panePage, email) : panePage, 200, TYPES.html!, { 'content-security-policy': csp });
      }
      if (rest === 'config.json') return respond(config, 200, TYPES.json!);
      if (rest === 'host.css') return respond(HOST_CSS, 200, TYPES.css!);
      if (rest === 'emails') return json(200, book.list());
      if (rest.startsWith('emails/')) {
        const id = decodeURIComponent(rest.slice('emails/'.length));
        const email = EMAIL_ID.test(id) ? book.get(id) : undefined;
        return email ? json(200, email) : problem(404, 'not_found', `There is no email "${id.slice(0, 100)}" on this host.`);
      }
      return staticFile(rest) ?? respond(`Nothing at ${url.pathname}.`, 404, 'text/plain; charset=utf-8');
    },
  };
  return module;
};
