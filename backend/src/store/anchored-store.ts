import type { AuditAnchor } from './audit-anchor';
import type { ChangeSet, Committed, Store } from './store';

/**
 * A store whose every commit that appends to the audit chain then publishes the new head to the
 * anchor. The commit is already durable when publishing runs: a failure to publish is reported
 * (the anchor lags, the trail is not lost) rather than answered as a failed change.
 */
export function anchored(store: Store, anchor: AuditAnchor, log?: (line: string) => void): Store {
  const commit = async (changes: ChangeSet): Promise<Committed> => {
    const done = await store.commit(changes);
    const last = done.audit.at(-1);
    if (last) {
      await anchor.publish({ seq: last.seq, hash: last.hash }, last.at).catch((e: Error) => log?.(`audit anchor: could not publish entry ${last.seq} to ${anchor.describe}: ${e.message}`));
    }
    return done;
  };
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'commit') return commit;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Trust on first use: a store that has a trail but whose anchor has nothing yet (a store from
 * before anchoring) publishes its current head once, so tampering from now on is caught.
 */
export async function anchorIfEmpty(store: Store, anchor: AuditAnchor, now: string): Promise<boolean> {
  const head = await store.getAuditHead();
  if (!head || (await anchor.read()).length) return false;
  await anchor.publish(head, now);
  return true;
}
