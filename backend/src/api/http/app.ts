import { REQUEST_ID_HEADER } from '@pm-agent/shared';
import type { Received } from '../auth/authenticator';
import type { Caller } from '../../domain/caller';
import { Problem, problems } from '../../domain/problem';
import { readBody } from './body';
import { corsHeaders, preflight } from './cors';
import type { AppDeps, Route } from './context';
import { gatewayError, json, problemResponse } from './responses';
import { compileRoutes, DEFAULT_BODY_LIMIT, matchRoute } from './routes';

/** What the transport saw that a web Request cannot carry faithfully (raw path, duplicate headers). */
export interface Wire {
  rawPath: string;
  headers: Array<[string, string]>;
  /** From API Gateway's request context, never from a header the client could set. */
  gatewayIdentity?: { userArn: string };
}

export type App = (req: Request, wire?: Wire) => Promise<Response>;

/**
 * The backend as one function from Request to Response, so the same code serves Node locally and
 * API Gateway in Lambda. Each request: route → read body (bounded) → authenticate → authorise →
 * handle → answer, then one log line.
 */
export function createApp(deps: AppDeps): App {
  const extraRoutes = compileRoutes(deps.extraRoutes ?? []);
  return async (req, wire) => {
    const started = performance.now();
    const requestId = globalThis.crypto.randomUUID();
    const url = new URL(req.url);
    let caller: Caller | undefined;
    let res: Response;
    const origin = req.headers.get('origin');
    if (req.method === 'OPTIONS') return preflight(origin, deps.corsOrigins ?? []);
    try {
      const found = matchRoute(req.method, url.pathname, extraRoutes);
      if (!found) throw problems.notFound(`There is no route ${req.method} ${url.pathname}. The API lives under /v1.`);
      if ('allowed' in found) {
        res = problemResponse(new Problem(405, 'method_not_allowed', `${url.pathname} does not accept ${req.method}; use ${found.allowed.join(' or ')}.`), requestId, { allow: found.allowed.join(', ') });
      } else {
        const body = await readBody(req, found.route.bodyLimit ?? DEFAULT_BODY_LIMIT);
        const auth = await authorise(deps, found.route, req, url, body, wire);
        if (!auth.ok) {
          res = auth.response(requestId);
        } else {
          caller = auth.caller;
          const out = await found.route.handler({ deps, req, url, params: found.params, body, requestId, caller: auth.caller as Caller });
          res = out instanceof Response ? out : outcomeResponse(out, requestId);
        }
      }
    } catch (e) {
      res = e instanceof Problem ? problemResponse(e, requestId) : internalError(e, requestId, deps);
    }
    for (const [k, v] of Object.entries(corsHeaders(origin, deps.corsOrigins ?? []))) res.headers.set(k, v);
    deps.log?.(`${req.method} ${url.pathname} principal=${caller?.principal ?? '-'} status=${res.status} ${Math.round(performance.now() - started)}ms id=${requestId}`);
    return res;
  };
}

type Authorised = { ok: true; caller: Caller | undefined } | { ok: false; response: (requestId: string) => Response };

async function authorise(deps: AppDeps, route: Route, req: Request, url: URL, body: Uint8Array, wire?: Wire): Promise<Authorised> {
  if (route.access === 'public') return { ok: true, caller: undefined };
  const received: Received = {
    method: req.method,
    rawPath: wire?.rawPath ?? url.pathname + url.search,
    headers: wire?.headers ?? [...req.headers],
    body,
    gatewayIdentity: wire?.gatewayIdentity,
  };
  const auth = await deps.authenticator.authenticate(received);
  if (!auth.ok) return { ok: false, response: (id) => gatewayError(auth.errorType, auth.message, id) };
  const { caller } = auth;
  if (!route.access.includes(caller.principal)) {
    const message = `User: ${caller.principal} is not authorized to perform: execute-api:Invoke on resource: ${req.method} ${url.pathname}`;
    return { ok: false, response: (id) => gatewayError('AccessDeniedException', message, id) };
  }
  if (route.adminOnly && !caller.admin) {
    return { ok: false, response: (id) => problemResponse(problems.forbidden('Only a Jira admin can do this, from the PM agent admin page.'), id) };
  }
  return { ok: true, caller };
}

function outcomeResponse(out: { status: number; body: unknown }, requestId: string): Response {
  const body = out.status >= 400 && out.body && typeof out.body === 'object' ? { ...out.body, requestId } : out.body;
  return json(out.status, body, requestId);
}

/** Unexpected failures are logged by request id and answered without any internal detail. */
function internalError(e: unknown, requestId: string, deps: AppDeps): Response {
  deps.log?.(`error id=${requestId} ${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`);
  return json(500, { error: 'internal', message: `Something went wrong on our side. Quote request id ${requestId} if you report it.`, requestId }, requestId, {
    [REQUEST_ID_HEADER]: requestId,
  });
}
