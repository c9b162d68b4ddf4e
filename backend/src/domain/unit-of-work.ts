import { ConditionFailed, type ChangeSet, type Store } from '../store/store';
import { Problem } from './problem';

/**
 * What one attempt of an operation decided: the answer, and the change set that makes it true
 * (none when nothing changes).
 */
export interface Decided<T> {
  result: T;
  changes?: ChangeSet;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Upper bound of the random pause before attempt n (ms), growing with n. */
  backoffMs: (attempt: number) => number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 12, backoffMs: (n) => Math.min(200, 5 * 2 ** n) };

/** Counts the conflicts that were retried, for the bench. */
export const conflictStats = { retried: 0 };

/**
 * The one shape of every state change: `attempt` reads what it needs and decides with pure
 * functions; its change set is committed all or nothing. When a condition it rested on no longer
 * holds (someone else committed first), it reads and decides again, a bounded number of times:
 * the second decision usually is the conflict itself (409 with `current`), or the first answer of
 * an idempotent request.
 */
export async function decideAndCommit<T>(store: Store, attempt: () => Promise<Decided<T>>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let n = 1; ; n += 1) {
    const decided = await attempt();
    if (!decided.changes || (decided.changes.writes.length === 0 && !decided.changes.audit?.length)) return decided.result;
    try {
      await store.commit(decided.changes);
      return decided.result;
    } catch (e) {
      if (!(e instanceof ConditionFailed)) throw e;
      if (n >= policy.attempts) {
        throw new Problem(503, 'internal', 'Too many changes to the same records at once; nothing was changed. Try again in a moment.');
      }
      conflictStats.retried += 1;
      await new Promise((r) => setTimeout(r, Math.random() * policy.backoffMs(n)));
    }
  }
}
