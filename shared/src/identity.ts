/**
 * Principals: who holds a key to the backend. Each may call only its own routes (see the backend's
 * route table). Identity headers say who the person behind a call is; every one that is present
 * must be among the request's SignedHeaders (the backend refuses the call otherwise).
 */
export const PRINCIPALS = ['forge', 'outlook', 'agent'] as const;
export type Principal = (typeof PRINCIPALS)[number];

export const IDENTITY_HEADERS = {
  /** The verified Jira accountId of the person using the Forge panel. */
  accountId: 'x-pm-account-id',
  /** The Jira site (cloud id or host) the Forge installation belongs to. */
  site: 'x-pm-site',
  /** Set by the Forge resolver only for calls from the admin page made by a Jira admin. */
  role: 'x-pm-role',
  /**
   * The Outlook user's token from the identity provider (Entra ID; the dev issuer locally): the
   * same token the pane exchanged with STS. The backend verifies it against the issuer's keys and
   * takes the person from its claims, never from the STS session name.
   */
  identityToken: 'x-pm-identity-token',
} as const;

/** Every identity header, one list for the client, the resolvers and both authenticators. */
export const IDENTITY_HEADER_NAMES: readonly string[] = Object.values(IDENTITY_HEADERS);

/** Headers each principal must send and sign, beyond host and x-amz-date. */
export const REQUIRED_IDENTITY_HEADERS: Record<Principal, readonly string[]> = {
  forge: [IDENTITY_HEADERS.accountId, IDENTITY_HEADERS.site],
  outlook: [IDENTITY_HEADERS.identityToken],
  agent: [],
};

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REQUEST_ID_HEADER = 'x-amzn-requestid';

/**
 * The STS RoleSessionName an Outlook session must carry: derived from the token's subject, so the
 * backend can check that the token sent with a call belongs to the session that signed it. STS
 * allows 2–64 characters of [\w+=,.@-].
 */
export function outlookSessionName(subject: string): string {
  return `outlook-${subject}`.replace(/[^\w+=,.@-]/g, '_').slice(0, 64);
}

/**
 * The subject of a JWT, read WITHOUT verifying it: only for naming one's own STS session (the
 * backend verifies the token). Undefined when the token is not a JWT with a string `sub`.
 */
export function unverifiedJwtClaims(token: string): { sub?: string; exp?: number } | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const b64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    if (!claims || typeof claims !== 'object') return undefined;
    const { sub, exp } = claims as { sub?: unknown; exp?: unknown };
    return { ...(typeof sub === 'string' ? { sub } : {}), ...(typeof exp === 'number' ? { exp } : {}) };
  } catch {
    return undefined;
  }
}
