/**
 * Principals: who holds a key to the backend. Each may call only its own routes (see the backend's
 * route table). Identity headers carry the human behind a forge call; they are always signed.
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
} as const;

/** Headers each principal must sign, beyond host and x-amz-date. */
export const REQUIRED_IDENTITY_HEADERS: Record<Principal, readonly string[]> = {
  forge: [IDENTITY_HEADERS.accountId, IDENTITY_HEADERS.site],
  outlook: [],
  agent: [],
};

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REQUEST_ID_HEADER = 'x-amzn-requestid';
