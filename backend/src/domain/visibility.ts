import type { Suggestion } from '@pm-agent/shared';
import { canSee, type Caller } from './caller';

/**
 * Who may see (and so decide) which suggestion: the one rule the inbox, the bulk decision and the
 * Outlook "Waiting for you" view share. Jira users (the Forge principal) and the agent see every
 * suggestion; an Outlook user sees only the suggestions whose owner mailbox (`mailbox`, stored by
 * the triage pipeline and the agent's create call) is their own. One with no mailbox came from
 * elsewhere, so it is no Outlook user's: deny by default.
 */
export function mayView(caller: Caller, s: Suggestion): boolean {
  return canSee(caller, s.mailbox);
}
