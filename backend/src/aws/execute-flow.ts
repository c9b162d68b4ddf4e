import { SYSTEM_ACTOR } from '../domain/caller';
import { expireDue } from '../domain/suggestions';
import { ExecutionDispatcher } from '../api/execute/dispatcher';
import type { ExecuteJob } from '../contracts/execute-job';
import type { Store } from '../store/store';

/**
 * The local dispatcher's outbox steps, split across AWS:
 * - `claimReady` (the scheduled dispatcher, and the API after a change): expire overdue approvals,
 *   claim what is ready (approved, or held and due), and return the ids to queue; also ids whose
 *   outbox row has stayed open longer than `staleMs` (a lost message, an execution that died, a
 *   run deferred by a pause), so nothing waits forever;
 * - `executeOne` (the execute function, per queue message): run and settle one claimed suggestion,
 *   only while its outbox row is open: a replayed or duplicate message does nothing.
 */
export const STALE_OUTBOX_MS = 10 * 60_000;

export function outboxDispatcher(store: Store, now: () => Date, execute: (job: ExecuteJob) => Promise<unknown> = async () => {
  throw new Error('this process does not execute');
}): ExecutionDispatcher {
  return new ExecutionDispatcher({ store, now, execute, log: (line) => console.log(line) });
}

export async function claimReady(store: Store, now: () => Date, staleMs = STALE_OUTBOX_MS): Promise<string[]> {
  await expireDue({ store, now }, SYSTEM_ACTOR);
  const { settings } = await store.getSettings();
  if (settings.paused) return [];
  const dispatcher = outboxDispatcher(store, now);
  const at = now();
  const claimed: string[] = [];
  for (const s of await store.listRunnable(at.toISOString(), 50)) if (await dispatcher.claim(s.id)) claimed.push(s.id);
  const stale: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listOutbox('pending', { limit: 50, cursor });
    for (const e of page.items) {
      if (claimed.includes(e.suggestionId)) continue;
      // An undo's row is opened by the API's undo request, not by a claim: queue it while it is open.
      // A duplicate message is harmless: the undo finds the comment by its marker, and a second DELETE finds it gone.
      if (at.getTime() - Date.parse(e.claimedAt) > staleMs || (await store.getSuggestion(e.suggestionId))?.state === 'undoing') stale.push(e.suggestionId);
    }
    cursor = page.next ?? undefined;
  } while (cursor);
  return [...claimed, ...stale];
}

export async function executeOne(store: Store, now: () => Date, id: string, execute: (job: ExecuteJob) => Promise<unknown>): Promise<'ran' | 'nothing to do'> {
  const entry = await store.getOutbox(id);
  if (!entry || entry.state !== 'pending') return 'nothing to do';
  await outboxDispatcher(store, now, execute).dispatch(id);
  return 'ran';
}
