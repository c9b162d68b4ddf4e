import { serve } from '@pm-agent/backend/api';
import type { HostContext, HostModule, HostModuleFactory } from './module';
import { checkRequest } from './request-guard';

/**
 * The local host: runs the Jira panels and the Outlook task pane outside Jira and Outlook, on
 * 127.0.0.1:8788, against the local backend. Each surface is a module under its own prefix.
 */
export interface LocalHost {
  url: string;
  modules: HostModule[];
  close(): Promise<void>;
}

const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

export async function startLocalHost(opts: { port: number; factories: HostModuleFactory[]; context: Omit<HostContext, 'origin'> }): Promise<LocalHost> {
  let modules: HostModule[] = [];
  let origin = '';
  const server = await serve(async (req) => {
    const refused = checkRequest(req, origin);
    if (refused) return new Response(JSON.stringify({ ok: false, error: 'forbidden', message: refused.message }), { status: refused.status, headers: { 'content-type': 'application/json', ...SECURITY_HEADERS } });
    const url = new URL(req.url);
    if (url.pathname === '/' || url.pathname === '') return index(modules);
    const module = modules.find((m) => url.pathname === m.prefix || url.pathname.startsWith(`${m.prefix}/`));
    if (!module) return new Response(`Nothing at ${url.pathname}. Start at /.`, { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
    try {
      return await module.handle(req, url);
    } catch (e) {
      opts.context.log?.(`local host: ${req.method} ${url.pathname} failed: ${(e as Error).message}`);
      return new Response('The local host failed to answer; see its log.', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
  }, { port: opts.port });
  origin = server.url;
  try {
    modules = await Promise.all(opts.factories.map((f) => f({ ...opts.context, origin })));
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    url: server.url,
    modules,
    async close() {
      await server.close();
      for (const m of modules) await m.close?.();
    },
  };
}

function index(modules: HostModule[]): Response {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const items = modules.flatMap((m) => m.describe).map((d) => `<li><a href="${esc(d.path)}">${esc(d.path)}</a>: ${esc(d.what)}</li>`).join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PM agent: local host</title></head><body><h1>PM agent: local host</h1><p>The panels as they run inside Jira and Outlook, here against the local stack.</p><ul>${items}</ul></body></html>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", ...SECURITY_HEADERS } });
}
