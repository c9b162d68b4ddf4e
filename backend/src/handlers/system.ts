import type { Health } from '@pm-agent/shared';
import { createHash, timingSafeEqual } from 'node:crypto';
import { problems } from '../domain/problem';
import { DEV_SIGN_IN_HEADER } from '../local-stack/local-files';
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

/**
 * Local stand-in for Entra ID. It mints only for the local host's own sign-in: the request must
 * carry the secret the local host holds (dev-sign-in.json), so neither a stage process nor a web
 * page nor anything else on the machine without that file can make itself a user.
 */
export const devToken: Handler = async (ctx) => {
  const { issuer, signInSecret } = localServices(ctx);
  if (!sameSecret(ctx.req.headers.get(DEV_SIGN_IN_HEADER), signInSecret)) {
    throw problems.forbidden('The local dev identity provider mints tokens only for the local host’s own sign-in. Sign in through the Outlook pane on the local host.');
  }
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

function sameSecret(given: string | null, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return given !== null && timingSafeEqual(digest(given), digest(expected));
}
