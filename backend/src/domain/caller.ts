import type { Actor, Principal, Settings } from '@pm-agent/shared';

/** Who is calling, as established by the SigV4 check (and, for forge, the signed identity headers). */
export interface Caller {
  principal: Principal;
  actor: Actor;
  /** True only for Forge calls the resolver marked as coming from a Jira admin on the admin page. */
  admin: boolean;
}

/** Approvers are named per channel: Jira accountIds for the Forge panel, emails for Outlook. */
export function isApprover(caller: Caller, settings: Settings): boolean {
  if (caller.principal === 'forge') return settings.approvers.jiraAccountIds.includes(caller.actor.id);
  if (caller.principal === 'outlook') return settings.approvers.emails.some((e) => e.toLowerCase() === caller.actor.id.toLowerCase());
  return false;
}

export const AGENT_ACTOR: Actor = { principal: 'agent', id: 'pm-agent' };
export const SYSTEM_ACTOR: Actor = { principal: 'system', id: 'backend' };
