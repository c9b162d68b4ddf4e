import * as inbox from '../handlers/inbox';
import * as settings from '../handlers/settings';
import * as suggestions from '../handlers/suggestions';
import * as system from '../handlers/system';
import * as triage from '../handlers/triage';
import type { Route } from './context';

const KiB = 1024;

/**
 * Every route, who may call it, and how big its body may be. The table is the access policy:
 * on AWS the same table becomes the IAM policies of the principals' roles.
 */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/v1/health', access: 'public', handler: system.health },
  { method: 'POST', path: '/v1/suggestions', access: ['agent'], bodyLimit: 128 * KiB, handler: suggestions.create },
  { method: 'GET', path: '/v1/suggestions', access: ['forge', 'outlook', 'agent'], handler: suggestions.list },
  { method: 'GET', path: '/v1/suggestions/:id', access: ['forge', 'outlook', 'agent'], handler: suggestions.get },
  { method: 'POST', path: '/v1/suggestions/:id/approve', access: ['forge', 'outlook'], bodyLimit: 128 * KiB, handler: suggestions.approve },
  { method: 'POST', path: '/v1/suggestions/:id/reject', access: ['forge', 'outlook'], handler: suggestions.reject },
  { method: 'POST', path: '/v1/suggestions/:id/stop', access: ['forge', 'outlook'], handler: suggestions.stop },
  { method: 'POST', path: '/v1/suggestions/:id/dismiss', access: ['forge', 'outlook'], handler: suggestions.dismiss },
  { method: 'POST', path: '/v1/suggestions/:id/respond', access: ['forge', 'outlook'], handler: suggestions.respond },
  { method: 'POST', path: '/v1/suggestions/:id/reopen', access: ['forge', 'outlook'], handler: suggestions.reopen },
  { method: 'POST', path: '/v1/suggestions/:id/undo', access: ['forge', 'outlook'], handler: suggestions.undo },
  { method: 'POST', path: '/v1/suggestions/:id/run-now', access: ['forge', 'outlook'], handler: suggestions.runNow },
  { method: 'POST', path: '/v1/suggestions/:id/edit', access: ['forge', 'outlook'], bodyLimit: 128 * KiB, handler: suggestions.edit },
  { method: 'POST', path: '/v1/suggestions/:id/retry', access: ['forge', 'outlook'], handler: suggestions.retry },
  { method: 'GET', path: '/v1/inbox', access: ['forge', 'outlook'], handler: inbox.inbox },
  // 50 items of {id, payloadHash} and a reason fit well under 16 KiB.
  { method: 'POST', path: '/v1/decisions', access: ['forge', 'outlook'], handler: inbox.decisions },
  { method: 'POST', path: '/v1/triage', access: ['outlook'], bodyLimit: triage.TRIAGE_BODY_LIMIT, handler: triage.triage },
  { method: 'GET', path: '/v1/triage/:messageKey', access: ['outlook', 'forge'], handler: triage.getTriage },
  { method: 'POST', path: '/v1/triage/:messageKey/not-suspicious', access: ['outlook'], handler: triage.notSuspicious },
  { method: 'POST', path: '/v1/triage/:messageKey/retriage', access: ['outlook'], bodyLimit: triage.TRIAGE_BODY_LIMIT, handler: triage.retriage },
  { method: 'GET', path: '/v1/viewer', access: ['forge', 'outlook'], handler: settings.getViewer },
  { method: 'GET', path: '/v1/settings', access: ['forge'], adminOnly: true, handler: settings.getSettings },
  { method: 'PUT', path: '/v1/settings', access: ['forge'], adminOnly: true, handler: settings.putSettings },
  { method: 'GET', path: '/v1/audit', access: ['forge'], adminOnly: true, handler: settings.listAudit },
];

export const DEFAULT_BODY_LIMIT = 16 * KiB;

export type RouteMatch = { route: Route; params: Record<string, string> } | { allowed: string[] } | null;

export type CompiledRoutes = ReadonlyArray<{ route: Route; pattern: RegExp }>;

export function compileRoutes(routes: readonly Route[]): CompiledRoutes {
  return routes.map((route) => ({ route, pattern: compile(route.path) }));
}

const compiled = compileRoutes(ROUTES);

function compile(path: string): RegExp {
  const source = path.replace(/:(\w+)/g, (_m, name: string) => `(?<${name}>[^/]+)`);
  return new RegExp(`^${source}/?$`);
}

/** The route for this method and path; or the methods the path allows (for 405); or null (404). */
export function matchRoute(method: string, pathname: string, extra: CompiledRoutes = []): RouteMatch {
  const allowed: string[] = [];
  for (const { route, pattern } of [...compiled, ...extra]) {
    const m = pattern.exec(pathname);
    if (!m) continue;
    if (route.method === method) return { route, params: { ...m.groups } };
    allowed.push(route.method);
  }
  return allowed.length ? { allowed } : null;
}
