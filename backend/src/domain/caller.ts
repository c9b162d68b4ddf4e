import { approverByAccountId, approverByEmail, type Actor, type Approver, type Principal, type Settings } from '@pm-agent/shared';

/** Who is calling, as established by the SigV4 check (and, for forge, the signed identity headers). */
export interface Caller {
  principal: Principal;
  actor: Actor;
  /** True only for Forge calls the resolver marked as coming from a Jira admin on the admin page. */
  admin: boolean;
}

/**
 * The approver this caller is, if any: a Jira caller by their verified accountId on some person, an
 * Outlook caller by their verified email (any case). Nobody else, whatever name they give.
 */
export function approverFor(caller: Caller, settings: Settings): Approver | undefined {
  if (caller.principal === 'forge') return approverByAccountId(settings.approvers, caller.actor.id);
  if (caller.principal === 'outlook') return approverByEmail(settings.approvers, caller.actor.id);
  return undefined;
}

export function isApprover(caller: Caller, settings: Settings): boolean {
  return approverFor(caller, settings) !== undefined;
}

export const AGENT_ACTOR: Actor = { principal: 'agent', id: 'pm-agent' };
export const SYSTEM_ACTOR: Actor = { principal: 'system', id: 'backend' };

/**
 * The mailbox an Outlook caller speaks for: the verified user's address, lower case (the auth layer
 * established it; it is never re-derived from anything the caller sent). Null for other principals.
 */
export function mailboxOf(caller: Caller): string | null {
  return caller.principal === 'outlook' ? caller.actor.id.toLowerCase() : null;
}

/**
 * Each mailbox sees its own triage: an Outlook caller sees only what came from their own mailbox
 * (a suggestion or triage with no mailbox came from elsewhere, so not theirs either). The Jira app
 * and the agent see everything; the Jira side shows what concerns its issues.
 */
export function canSee(caller: Caller, owner: string | undefined): boolean {
  const mine = mailboxOf(caller);
  return mine === null || owner === mine;
}
