import type { Suggestion } from '@pm-agent/shared';
import type { Caller } from './caller';

/**
 * Who may see (and so decide) which suggestion: the one rule the inbox, the bulk decision and the
 * Outlook "Waiting for you" view share. Jira users (the Forge principal) see every suggestion; an
 * Outlook user sees only the suggestions that came from their own mailbox; the agent sees all.
 *
 * Until the store records each email suggestion's owner mailbox (the isolation work), no
 * suggestion has a known owner, so an Outlook caller sees none of them: deny by default.
 */
export function ownerMailboxOf(s: Suggestion): string | null {
  const owner = (s as Suggestion & { ownerMailbox?: unknown }).ownerMailbox;
  return typeof owner === 'string' ? owner.toLowerCase() : null;
}

export function mayView(caller: Caller, s: Suggestion): boolean {
  if (caller.principal === 'forge' || caller.principal === 'agent') return true;
  if (caller.principal === 'outlook') return s.provenance.source === 'email' && ownerMailboxOf(s) === caller.actor.id.toLowerCase();
  return false;
}
