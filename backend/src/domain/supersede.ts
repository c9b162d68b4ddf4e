import { canApply, nextState, type Actor, type Suggestion } from '@pm-agent/shared';
import type { AuditDraft, Write } from '../store/store';

/**
 * Re-triage: a suggestion from an earlier triage of the same email that is still waiting (for a
 * person, or in the hold queue) gives way to the fresh triage's, so two sets of the same
 * suggestions never both wait. Decided, running and done ones are left as they are. Pure: the
 * write is conditioned on the version read, so one decided meanwhile makes the caller decide again.
 */
export function isWaiting(s: Suggestion): boolean {
  return canApply('supersede', s.state);
}

export function supersede(s: Suggestion, by: Actor, at: string, revision: number): { value: Suggestion; write: Write; audit: AuditDraft } {
  const reason = `Replaced by a fresh triage of the same email (triage ${revision}): decide on its suggestions instead.`;
  const value: Suggestion = { ...s, state: nextState('supersede', s.state), runAt: null, decision: { kind: 'superseded', by, at, reason }, updatedAt: at, version: s.version + 1 };
  return {
    value,
    write: { kind: 'suggestion', value, expectedVersion: s.version },
    audit: { at, actor: by, action: 'suggestion.superseded', subject: s.id, details: { actionType: s.actionType, ...(s.issueKey ? { issueKey: s.issueKey } : {}), was: s.state, revision } },
  };
}
