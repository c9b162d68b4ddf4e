import type { BulkDecisionRequest, BulkItemResult, Suggestion } from '@pm-agent/shared';
import { isApprover, type Caller } from './caller';
import { fingerprint, runOnce, type Outcome } from './idempotency';
import { newId } from './ids';
import { problems } from './problem';
import { approveSuggestion, rejectSuggestion, type LifecycleDeps } from './suggestions';
import { mayView } from './visibility';

/**
 * POST /v1/decisions: one decision over several suggestions. Each item is decided by the same
 * single-suggestion operation as a one-off approval or rejection (same checks, its own audit
 * entry, exactly once), bound to the payload hash the approver saw; then one audit entry records
 * the batch. Anything wrong with the batch as a whole is refused before any item is decided.
 */
export async function decideMany(deps: LifecycleDeps, caller: Caller, req: BulkDecisionRequest, idemKey?: string): Promise<Outcome> {
  const at = deps.now().toISOString();
  const scope = { scope: `${caller.principal}:${caller.actor.id}:decisions`, key: idemKey, fingerprint: fingerprint(JSON.stringify(req)) };
  if (idemKey) {
    const seen = await deps.store.recallIdempotent(scope.scope, idemKey);
    if (seen && seen.fingerprint !== scope.fingerprint) {
      throw problems.unprocessable('This Idempotency-Key was already used for a different request. Use a new key for a new request.');
    }
    if (seen) return { status: seen.status, body: seen.body };
  }

  if (!isApprover(caller, (await deps.store.getSettings()).settings)) {
    throw problems.forbidden('You are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.');
  }
  const found = await Promise.all(req.items.map((i) => deps.store.getSuggestion(i.id)));
  const notYours = req.items.filter((_, n) => found[n] && !mayView(caller, found[n]!)).map((i) => i.id);
  if (notYours.length) {
    throw problems.badRequest(
      `Nothing was decided: ${notYours.length === 1 ? 'this suggestion is' : 'these suggestions are'} not yours to decide (they belong to another mailbox): ${notYours.join(', ')}. Send only your own suggestions.`,
    );
  }

  const batchId = newId('batch');
  const results: BulkItemResult[] = [];
  for (const item of req.items) {
    // Each item gets its own idempotency scope (it includes the id), keyed by the batch's key.
    const itemKey = idemKey ? `batch:${idemKey}` : undefined;
    const out =
      req.decision === 'approve'
        ? await approveSuggestion(deps, caller, item.id, { payloadHash: item.payloadHash }, itemKey)
        : await rejectSuggestion(deps, caller, item.id, req.reason!, itemKey, item.payloadHash);
    results.push(itemResult(item, req.decision, out));
  }

  // The batch's own audit entry (and its stored answer, with a key) is one more change set.
  return runOnce(deps.store, scope, at, async () => ({
    result: { status: 200, body: { batchId, results } },
    changes: {
      writes: [],
      audit: [
        {
          at,
          actor: caller.actor,
          action: 'suggestions.bulk_decided',
          subject: batchId,
          details: { decision: req.decision, ...(req.reason ? { reason: req.reason } : {}), items: results.map((r) => ({ id: r.id, status: r.status })) },
        },
      ],
    },
  }));
}

function itemResult(item: { id: string; payloadHash: string }, decision: 'approve' | 'reject', out: Outcome): BulkItemResult {
  const body = out.body as { suggestion?: Suggestion; current?: Suggestion; message?: string };
  if (out.status === 200 && body.suggestion) {
    const done = decision === 'approve' ? 'approved' : 'rejected';
    return { id: item.id, status: done, message: `${done[0]!.toUpperCase()}${done.slice(1)}.`, suggestion: body.suggestion };
  }
  const current = body.current;
  if (out.status === 409 && current && current.payloadHash !== item.payloadHash && current.state === 'pending') {
    return { id: item.id, status: 'changed', message: 'It changed since you saw it, so it was not decided. Review the current version and decide again.', suggestion: current };
  }
  if (out.status === 409 && current) return { id: item.id, status: 'already_decided', message: body.message ?? 'It was already decided.', suggestion: current };
  if (out.status === 404) return { id: item.id, status: 'not_found', message: body.message ?? 'No such suggestion.' };
  return { id: item.id, status: 'refused', message: body.message ?? `Refused (${out.status}).` };
}
