import { createHash, timingSafeEqual } from 'node:crypto';
import { problems } from '@pm-agent/backend/domain';
import { DEV_SIGN_IN_HEADER } from '../local-stack/local-files';
import { parseJsonBody } from '@pm-agent/backend/api';
import type { Route } from '@pm-agent/backend/api';
import { xml } from '@pm-agent/backend/api';
import { DevTokenRequestSchema, type DevIssuer } from './dev-issuer';
import { assumeRoleWithWebIdentity, type LocalStsConfig } from './sts';

export interface LocalIdentity {
  issuer: DevIssuer;
  sts: LocalStsConfig;
  /** The secret only the local host holds (dev-sign-in.json): the issuer mints for its sign-in alone. */
  signInSecret: string;
}

/**
 * The local stand-ins for Entra ID's token endpoint and AWS STS, as routes the dev stack adds to
 * the API's table (`extraRoutes`). The production route table never contains them. `services`
 * is read per request: the issuer exists only once the server knows its own URL.
 */
export function localIdentityRoutes(services: () => LocalIdentity | undefined): Route[] {
  const need = () => {
    const s = services();
    if (!s) throw problems.notFound('This route exists only when the backend runs in local mode.');
    return s;
  };
  return [
    {
      method: 'POST',
      path: '/v1/dev/token',
      access: 'public',
      /**
       * Local stand-in for Entra ID. It mints only for the local host's own sign-in: the request must
       * carry the secret the local host holds, so neither a stage process nor a web page nor anything
       * else on the machine without that file can make itself a user (and STS trusts only this issuer).
       */
      handler: async (ctx) => {
        const { issuer, signInSecret } = need();
        if (!sameSecret(ctx.req.headers.get(DEV_SIGN_IN_HEADER), signInSecret)) {
          throw problems.forbidden('The local dev identity provider mints tokens only for the local host’s own sign-in. Sign in through the Outlook pane on the local host.');
        }
        const who = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), DevTokenRequestSchema, 'token request');
        return { status: 200, body: { access_token: issuer.issue(who, ctx.deps.now()), token_type: 'Bearer', expires_in: 3600 } };
      },
    },
    {
      method: 'POST',
      path: '/v1/sts',
      access: 'public',
      /** Local stand-in for AWS STS, in its query-API shape. */
      handler: async (ctx) => {
        const { sts } = need();
        const form = new URLSearchParams(new TextDecoder().decode(ctx.body));
        const { status, xml: body } = assumeRoleWithWebIdentity(sts, form, ctx.requestId);
        return xml(status, body, ctx.requestId);
      },
    },
  ];
}

function sameSecret(given: string | null, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return given !== null && timingSafeEqual(digest(given), digest(expected));
}
