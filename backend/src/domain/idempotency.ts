import { createHash } from 'node:crypto';
import type { ChangeSet, Store } from '../store/store';
import { Problem } from './problem';
import { decideAndCommit, type Decided } from './unit-of-work';

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
 * Runs one operation: `decide` reads and decides (throwing a Problem is a decision too); its
 * change set is committed, re-read and re-decided on a conflict. With a key, the first outcome
 * (success or a 4xx problem) is stored in the same change set, conditioned on the key being
 * unused, so a repeat (even a concurrent one) gets that outcome again without deciding anew.
 */
export function runOnce(store: Store, idem: IdempotencyScope, at: string, decide: () => Promise<Decided<Outcome>>): Promise<Outcome> {
  return decideAndCommit(store, async () => {
    const seen = await replayed(store, idem);
    if (seen) return { result: seen };
    const decided = await attempt(decide);
    const outcome = decided.result;
    if (!idem.key || outcome.status >= 500) return decided;
    const changes: ChangeSet = decided.changes ?? { writes: [] };
    return {
      result: outcome,
      changes: { ...changes, writes: [...changes.writes, { kind: 'idempotency', scope: idem.scope, key: idem.key, record: { ...outcome, fingerprint: idem.fingerprint, at } }] },
    };
  });
}

/**
 * The first answer to this key, when the key was used before: the same answer for the same request,
 * 422 for a different one. Null without a key or for a key not seen yet. For operations whose work
 * happens before their change set (a model call), to skip the work on a repeat.
 */
export async function replayed(store: Store, idem: IdempotencyScope): Promise<Outcome | null> {
  if (!idem.key) return null;
  const seen = await store.recallIdempotent(idem.scope, idem.key);
  if (!seen) return null;
  if (seen.fingerprint !== idem.fingerprint) {
    return new Problem(422, 'unprocessable', 'This Idempotency-Key was already used for a different request. Use a new key for a new request.').asOutcome();
  }
  return { status: seen.status, body: seen.body };
}

async function attempt(decide: () => Promise<Decided<Outcome>>): Promise<Decided<Outcome>> {
  try {
    return await decide();
  } catch (e) {
    if (e instanceof Problem) return { result: e.asOutcome() };
    throw e;
  }
}
