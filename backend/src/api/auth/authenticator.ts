import { IDENTITY_HEADERS, REQUIRED_IDENTITY_HEADERS, type Principal } from '@pm-agent/shared';
import type { Caller } from '../../domain/caller';

/** What the HTTP layer received, byte for byte, for the signature check. */
export interface Received {
  method: string;
  /** Path and query as they arrived on the wire, still percent-encoded. */
  rawPath: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** Set only by the Lambda adapter: the caller API Gateway already authenticated with IAM. */
  gatewayIdentity?: { userArn: string };
}

export type GatewayErrorType =
  | 'InvalidSignatureException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  | 'AccessDeniedException';

export type AuthResult = { ok: true; caller: Caller } | { ok: false; errorType: GatewayErrorType; message: string };

/**
 * Establishes the caller. Locally: the SigV4 verifier. On AWS: API Gateway has already verified
 * the signature with IAM, and the Lambda reads the caller from the request context.
 */
export interface Authenticator {
  authenticate(received: Received): Promise<AuthResult>;
}

const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;
const SITE = /^[A-Za-z0-9.:_/-]{1,256}$/;

/**
 * Turns a verified principal plus its signed identity headers into a Caller. Forge calls must
 * name the Jira user and site; the values are trusted because the Forge app signed them after
 * Forge verified the user.
 */
export function callerFor(
  principal: Principal,
  header: (name: string) => string | undefined,
  session?: { sub: string; email: string; name: string },
): AuthResult {
  if (principal === 'forge') {
    const accountId = header(IDENTITY_HEADERS.accountId);
    const site = header(IDENTITY_HEADERS.site);
    if (!accountId || !ACCOUNT_ID.test(accountId) || !site || !SITE.test(site)) {
      return { ok: false, errorType: 'IncompleteSignatureException', message: `Forge calls must sign ${REQUIRED_IDENTITY_HEADERS.forge.join(' and ')} with a Jira accountId and site.` };
    }
    return { ok: true, caller: { principal, actor: { principal, id: accountId, site }, admin: header(IDENTITY_HEADERS.role) === 'admin' } };
  }
  if (principal === 'outlook') {
    if (!session) return { ok: false, errorType: 'UnrecognizedClientException', message: 'Outlook calls must use temporary credentials from STS.' };
    return { ok: true, caller: { principal, actor: { principal, id: session.email, name: session.name }, admin: false } };
  }
  return { ok: true, caller: { principal, actor: { principal, id: 'pm-agent' }, admin: false } };
}
