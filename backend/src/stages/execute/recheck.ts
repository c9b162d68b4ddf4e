import { UNDOABLE, effectiveBoundary, payloadHash, payloadTrust, type Settings, type Suggestion } from '@pm-agent/shared';

/**
 * The execute stage's own check, made again whatever the runner decided: the store may say an
 * action is ready, but it runs only if the boundary allows it NOW. Allowed means one of:
 * a human approved exactly this payload; or the boundary is auto; or it is hold and the hold has
 * elapsed. Text from outside, a person's edit or sensitive data make the boundary "approval", so
 * only a human approval lets such an action run. Never-do is refused whatever the record says.
 */
export type Recheck = { allowed: true; basis: 'approved' | 'auto' | 'hold_elapsed' } | { allowed: false; deferred?: boolean; reason: string };

export async function recheck(s: Suggestion, settings: Settings, now: Date): Promise<Recheck> {
  // The origin is worked out again here from the payload and its claims, not read from the stored boundary.
  const boundary = effectiveBoundary(s.actionType, settings, payloadTrust(s));
  if (boundary === 'never') return { allowed: false, reason: `${s.actionType} is a never-do action; the execute stage refuses it.` };
  if (settings.paused) return { allowed: false, deferred: true, reason: 'The agent is paused; nothing runs until an admin resumes it.' };
  if (s.state !== 'executing') return { allowed: false, reason: `The suggestion is ${s.state}, not ready to execute.` };
  if (s.decision?.kind === 'approved') {
    const hash = await payloadHash(s.payload);
    if (s.decision.payloadHash === hash && s.payloadHash === hash) return { allowed: true, basis: 'approved' };
    return { allowed: false, reason: 'The payload is not the one the approver approved (hash mismatch).' };
  }
  if (boundary === 'auto') return { allowed: true, basis: 'auto' };
  if (boundary === 'hold' && s.runAt && Date.parse(s.runAt) <= now.getTime()) return { allowed: true, basis: 'hold_elapsed' };
  return { allowed: false, reason: `Under the current settings ${s.actionType} needs ${boundary === 'hold' ? 'its hold delay to pass' : 'an approval'} first.` };
}

/**
 * An undo runs only for a suggestion an approver asked to undo (the backend moved it to
 * `undoing` after checking the window) and only for a type that has an undo; a pause defers it
 * like any execution.
 */
export function recheckUndo(s: Suggestion, settings: Settings): Recheck {
  if (settings.paused) return { allowed: false, deferred: true, reason: 'The agent is paused; nothing runs until an admin resumes it.' };
  if (s.state !== 'undoing') return { allowed: false, reason: `The suggestion is ${s.state}, not being undone.` };
  if (!UNDOABLE[s.actionType]) return { allowed: false, reason: `A ${s.actionType} cannot be undone.` };
  return { allowed: true, basis: 'approved' };
}
