import {
  ACTION_CATALOGUE,
  INITIAL_STATE,
  PERSON_CARRIES_OUT,
  STATE_LABELS,
  canApply,
  editChangesOnlyText,
  effectiveBoundary,
  issueKeyOf,
  nextState,
  payloadHash,
  stricter,
  type Actor,
  type Boundary,
  type ApproveRequest,
  type CreateSuggestionRequest,
  type Decision,
  type LifecycleEvent,
  type Suggestion,
} from '@pm-agent/shared';
import type { Store, StoreTx } from '../store/store';
import { isApprover, type Caller } from './caller';
import { fingerprint, runOnce, type Outcome } from './idempotency';
import { newId } from './ids';
import { Problem, problems } from './problem';

/**
 * The approval lifecycle, one small step per rule. Each public operation is one transaction that
 * changes the suggestion, appends its audit entry and (with an Idempotency-Key) stores its answer.
 */

export interface LifecycleDeps {
  store: Store;
  now: () => Date;
}

// ---- create (agent) --------------------------------------------------------------------------

export async function createSuggestion(deps: LifecycleDeps, caller: Caller, req: CreateSuggestionRequest, idemKey?: string): Promise<Outcome> {
  const at = deps.now().toISOString();
  const hash = await payloadHash(req.payload);
  const idem = { scope: `${caller.principal}:${caller.actor.id}:create`, key: idemKey, fingerprint: fingerprint(JSON.stringify(req)) };
  return runOnce(deps.store, idem, at, (tx) => {
    const suggestion = insertSuggestion(tx, { req, hash }, caller.actor, at);
    if (!suggestion) return refusal(req.actionType).asOutcome();
    return { status: 201, body: { suggestion } };
  });
}

/**
 * Writes a new suggestion where its effective boundary puts it, with its audit entry, inside the
 * caller's transaction. `floor` tightens the boundary further (triage uses it for suspicious mail).
 * A never-do proposal is not created: the attempt is audited and null returned.
 */
export function insertSuggestion(
  tx: StoreTx,
  draft: { req: CreateSuggestionRequest; hash: string },
  actor: Actor,
  at: string,
  floor: Boundary = 'auto',
): Suggestion | null {
  const { req, hash } = draft;
  const { settings } = tx.getSettings();
  const boundary = stricter(effectiveBoundary(req.actionType, settings), floor);
  if (boundary === 'never') {
    tx.appendAudit({ at, actor, action: 'suggestion.refused', subject: req.actionType, details: { reason: 'never-do', ref: req.provenance.ref } });
    return null;
  }
  const suggestion: Suggestion = {
    id: newId('sug'),
    actionType: req.actionType,
    payload: req.payload,
    payloadHash: hash,
    edited: false,
    issueKey: issueKeyOf(req.payload) ?? null,
    rationale: req.rationale,
    provenance: req.provenance,
    boundary,
    state: INITIAL_STATE[boundary],
    createdBy: actor,
    createdAt: at,
    updatedAt: at,
    expiresAt: req.expiresAt ?? null,
    runAt: boundary === 'hold' ? new Date(Date.parse(at) + settings.holdDelayMinutes * 60_000).toISOString() : null,
    decision: null,
    result: null,
    version: 1,
  };
  tx.insertSuggestion(suggestion);
  tx.appendAudit({
    at,
    actor,
    action: 'suggestion.created',
    subject: suggestion.id,
    details: { actionType: req.actionType, boundary, state: suggestion.state, payloadHash: hash, source: req.provenance.source, ref: req.provenance.ref },
  });
  return suggestion;
}

export function refusal(type: CreateSuggestionRequest['actionType']): Problem {
  return problems.unprocessable(`${type} is a never-do action: the agent may never ${ACTION_CATALOGUE[type].label.toLowerCase()}, so no suggestion was created.`);
}

// ---- decide (humans) -------------------------------------------------------------------------

export async function approveSuggestion(deps: LifecycleDeps, caller: Caller, id: string, req: ApproveRequest, idemKey?: string): Promise<Outcome> {
  const edit = req.payload ? await checkedEdit(deps.store, id, req) : undefined;
  // An email is handed to the person, who sends it from Outlook; nothing is queued to run.
  const event = (s: Suggestion): LifecycleEvent => (PERSON_CARRIES_OUT.has(s.actionType) ? 'handOver' : 'approve');
  return decide(deps, caller, id, event, { key: idemKey, request: req }, (tx, s, at) => {
    if (!edit) assertUnchanged(s, req.payloadHash);
    else if (req.basePayloadHash) assertUnchanged(s, req.basePayloadHash);
    assertStillAllowed(tx, s);
    const decision: Decision = { kind: 'approved', by: caller.actor, at, payloadHash: edit?.hash ?? s.payloadHash };
    const next: Suggestion = edit
      ? { ...s, payload: edit.payload, payloadHash: edit.hash, originalPayload: s.originalPayload ?? s.payload, edited: true, decision }
      : { ...s, decision };
    return { next, details: { payloadHash: decision.payloadHash, edited: Boolean(edit), ...(edit ? { editedFrom: req.basePayloadHash ?? null } : {}) } };
  });
}

export function rejectSuggestion(deps: LifecycleDeps, caller: Caller, id: string, reason: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'reject', { key: idemKey, request: { reason } }, (_tx, s, at) => ({
    next: { ...s, decision: { kind: 'rejected', by: caller.actor, at, reason } },
    details: { reason },
  }));
}

export function stopSuggestion(deps: LifecycleDeps, caller: Caller, id: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'stop', { key: idemKey, request: {} }, (_tx, s, at) => ({
    next: { ...s, runAt: null, decision: { kind: 'stopped', by: caller.actor, at } },
    details: { runAt: s.runAt },
  }));
}

type Decide = (tx: StoreTx, current: Suggestion, at: string) => { next: Suggestion; details: Record<string, unknown> };

/**
 * The shared shape of a human decision: the caller must be an approver, the suggestion must exist
 * and be in a state the event applies to; then the change, its audit entry and its answer are
 * written in one transaction.
 */
function decide(
  deps: LifecycleDeps,
  caller: Caller,
  id: string,
  eventFor: LifecycleEvent | ((current: Suggestion) => LifecycleEvent),
  idem: { key?: string; request: unknown },
  change: Decide,
): Promise<Outcome> {
  const at = deps.now().toISOString();
  const name = typeof eventFor === 'string' ? eventFor : 'approve';
  const scope = { scope: `${caller.principal}:${caller.actor.id}:${name}:${id}`, key: idem.key, fingerprint: fingerprint(JSON.stringify(idem.request)) };
  return runOnce(deps.store, scope, at, (tx) => {
    assertApprover(tx, caller);
    const current = tx.getSuggestion(id) ?? throwNotFound(id);
    const event = typeof eventFor === 'string' ? eventFor : eventFor(current);
    assertCanApply(event, current);
    const { next, details } = change(tx, current, at);
    const stored: Suggestion = { ...next, state: nextState(event, current.state), updatedAt: at, version: current.version + 1 };
    tx.updateSuggestion(stored);
    tx.appendAudit({ at, actor: caller.actor, action: `suggestion.${LIFECYCLE_PAST[event]}`, subject: id, details: { actionType: current.actionType, ...details } });
    return { status: 200, body: { suggestion: stored } };
  });
}

const LIFECYCLE_PAST: Record<LifecycleEvent, string> = {
  approve: 'approved',
  handOver: 'handed_over',
  reject: 'rejected',
  expire: 'expired',
  stop: 'stopped',
  start: 'started',
  succeed: 'executed',
  fail: 'failed',
};

function assertApprover(tx: StoreTx, caller: Caller): void {
  if (!isApprover(caller, tx.getSettings().settings)) {
    throw problems.forbidden('You are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.');
  }
}

function throwNotFound(id: string): never {
  throw problems.notFound(`No suggestion with id ${id}. It may have been removed, or the link is wrong.`);
}

function assertCanApply(event: LifecycleEvent, s: Suggestion): void {
  if (!canApply(event, s.state)) {
    // Words only: a raw account id means nothing to the reader (the pages name the person from `current`).
    const by = s.decision?.by.name ? ` by ${s.decision.by.name}` : '';
    const when = s.decision ? ` on ${s.decision.at.slice(0, 16).replace('T', ' ')} UTC` : '';
    throw problems.conflict(`Someone got there first: this suggestion is now “${STATE_LABELS[s.state]}”${by}${when}, so it cannot be ${LIFECYCLE_PAST[event].replace('_', ' ')} any more.`, s);
  }
}

/** The approver must have seen the payload as it is now: a stale view is a conflict carrying the current payload. */
function assertUnchanged(s: Suggestion, seenHash: string): void {
  if (seenHash !== s.payloadHash) {
    throw problems.conflict('The suggestion changed since you loaded it. Review the current version below and approve again.', s);
  }
}

/** Settings may have been tightened since creation: an action an admin has since forbidden cannot be approved. */
function assertStillAllowed(tx: StoreTx, s: Suggestion): void {
  if (effectiveBoundary(s.actionType, tx.getSettings().settings) === 'never') {
    throw problems.unprocessable(`${s.actionType} is now a never-do action in this installation’s settings, so it cannot be approved.`);
  }
}

/** An edited payload must pass its action type's schema, and the hash sent must be the edited payload's own. */
async function checkedEdit(store: Store, id: string, req: ApproveRequest): Promise<{ payload: Record<string, unknown>; hash: string }> {
  const s = (await store.getSuggestion(id)) ?? throwNotFound(id);
  const scope = editChangesOnlyText(s.actionType, s.originalPayload ?? s.payload, req.payload ?? {});
  if (!scope.ok) throw problems.badRequest(scope.problem);
  const parsed = ACTION_CATALOGUE[s.actionType].payload.safeParse(req.payload);
  if (!parsed.success) throw problems.invalid(`edited ${s.actionType} payload`, parsed.error);
  const payload = parsed.data as Record<string, unknown>;
  const hash = await payloadHash(payload);
  if (hash !== req.payloadHash) {
    throw problems.badRequest('payloadHash is not the hash of the edited payload. Compute it over the payload you send (canonical JSON, SHA-256).');
  }
  return { payload, hash };
}

// ---- expiry (system) -------------------------------------------------------------------------

/** Pending suggestions past their expiresAt become expired. Returns how many. */
export async function expireDue(deps: LifecycleDeps, actor: Actor): Promise<number> {
  const pending = await deps.store.listSuggestions({ state: 'pending', limit: 10_000 });
  const now = deps.now();
  const due = pending.filter((s) => s.expiresAt && Date.parse(s.expiresAt) <= now.getTime());
  const at = now.toISOString();
  return deps.store.transaction((tx) => {
    let n = 0;
    for (const { id } of due) {
      const s = tx.getSuggestion(id);
      if (!s || !canApply('expire', s.state)) continue;
      tx.updateSuggestion({ ...s, state: 'expired', decision: { kind: 'expired', by: actor, at }, updatedAt: at, version: s.version + 1 });
      tx.appendAudit({ at, actor, action: 'suggestion.expired', subject: id, details: { expiresAt: s.expiresAt } });
      n += 1;
    }
    return n;
  });
}

export { Problem };
