import { createHash } from 'node:crypto';
import type { Store, StoreTx } from '../store/store';
import { Problem } from './problem';

/** What a state-changing operation answers; stored whole so a repeat gets exactly the first answer. */
export interface Outcome {
  status: number;
  body: unknown;
}

export interface IdempotencyScope {
  /** Who is asking and for what, e.g. `forge:5b10…:approve:sug_…`. Keys are only ever compared within a scope. */
  scope: string;
  key: string | undefined;
  /** A hash of the request, to catch a key reused for a different request. */
  fingerprint: string;
}

export function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * Runs `work` in one transaction. With a key, the first outcome (success or a 4xx problem) is
 * stored with the change itself, and a repeat gets that outcome again without running `work`.
 * `work` must check everything before it writes: a Problem thrown after a write would be recorded
 * alongside a partial change.
 */
export function runOnce(store: Store, idem: IdempotencyScope, at: string, work: (tx: StoreTx) => Outcome): Promise<Outcome> {
  return store.transaction((tx) => {
    if (idem.key) {
      const seen = tx.recallIdempotent(idem.scope, idem.key);
      if (seen && seen.fingerprint !== idem.fingerprint) {
        return new Problem(422, 'unprocessable', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.').asOutcome();
      }
      if (seen) return { status: seen.status, body: seen.body };
    }
    const outcome = attempt(tx, work);
    if (idem.key && outcome.status < 500) tx.rememberIdempotent(idem.scope, idem.key, { ...outcome, fingerprint: idem.fingerprint, at });
    return outcome;
  });
}

function attempt(tx: StoreTx, work: (tx: StoreTx) => Outcome): Outcome {
  try {
    return work(tx);
  } catch (e) {
    if (e instanceof Problem) return e.asOutcome();
    throw e;
  }
}
