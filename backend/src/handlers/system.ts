import type { Health } from '@pm-agent/shared';
import { problems } from '../domain/problem';
import { DevTokenRequestSchema } from '../local/dev-issuer';
import { assumeRoleWithWebIdentity } from '../local/sts';
import { parseJsonBody } from '../http/body';
import type { Handler, RouteContext } from '../http/context';
import { xml } from '../http/responses';

export const health: Handler = async (ctx) => {
  const body: Health = { status: 'ok', service: 'pm-agent-backend', version: ctx.deps.version, mode: ctx.deps.mode, time: ctx.deps.now().toISOString() };
  return { status: 200, body };
};

function localServices(ctx: RouteContext) {
  if (!ctx.deps.local) throw problems.notFound('This route exists only when the backend runs in local mode.');
  return ctx.deps.local;
}

/** Local stand-in for Entra ID: a token for whoever is named. */
export const devToken: Handler = async (ctx) => {
  const { issuer } = localServices(ctx);
  const who = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), DevTokenRequestSchema, 'token request');
  return { status: 200, body: { access_token: issuer.issue(who, ctx.deps.now()), token_type: 'Bearer', expires_in: 3600 } };
};

/** Local stand-in for AWS STS, in its query-API shape. */
export const sts: Handler = async (ctx) => {
  const { sts } = localServices(ctx);
  const form = new URLSearchParams(new TextDecoder().decode(ctx.body));
  const { status, xml: body } = assumeRoleWithWebIdentity(sts, form, ctx.requestId);
  return xml(status, body, ctx.requestId);
};
