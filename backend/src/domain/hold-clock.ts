import type { Suggestion } from '@pm-agent/shared';
import type { PauseInterval } from '../store/store';

/**
 * Pausing the agent stops the hold timers without rewriting them: the pause intervals are recorded
 * with the settings, and a held suggestion's timer stands still during every pause that overlaps
 * the time between when it was set (its updatedAt) and when it comes due. Pure; both the dispatcher
 * (before it claims) and the resume step (to show the new time) use it.
 */

/** At most this many intervals are kept (the oldest go first); each is one admin pause. */
export const MAX_PAUSES = 1_000;

/** When a scheduled suggestion is due; null while a pause that began before it came due is still open. */
export function dueAt(s: Pick<Suggestion, 'runAt' | 'updatedAt'>, pauses: readonly PauseInterval[]): string | null {
  if (!s.runAt) return null;
  let due = Date.parse(s.runAt);
  const setAt = Date.parse(s.updatedAt);
  for (const p of [...pauses].sort((a, b) => a.from.localeCompare(b.from))) {
    const from = Math.max(Date.parse(p.from), setAt);
    if (from >= due) continue;
    if (p.to === null) return null;
    const to = Date.parse(p.to);
    if (to > from) due += to - from;
  }
  return new Date(due).toISOString();
}

export function pausedNow(pauses: readonly PauseInterval[], at: string): PauseInterval[] {
  return [...pauses, { from: at, to: null }].slice(-MAX_PAUSES);
}

export function resumedNow(pauses: readonly PauseInterval[], at: string): PauseInterval[] {
  return pauses.map((p) => (p.to === null ? { ...p, to: at } : p));
}
