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
  payloadTrust,
  withHumanEdit,
  EDITABLE_TEXT,
  stricter,
  UNDO_WINDOW_DEFAULT_MINUTES,
  UNDOABLE,
  takeBackAt,
  type Actor,
  type Approver,
  isImportedName,
  type EditHeldRequest,
  type RetryRequest,
  type Boundary,
  type ApproveRequest,
  type CreateSuggestionRequest,
  type Decision,
  type LifecycleEvent,
  type Settings,
  type Suggestion,
} from '@pm-agent/shared';
import { revisionOf, type AuditDraft, type ChangeSet, type Check, type Store } from '../store/store';
import { approverFor, canSee, type Caller } from './caller';
import { fingerprint, runOnce, type Outcome } from './idempotency';
import { decideAndCommit } from './unit-of-work';
import { newId } from './ids';
import { Problem, problems } from './problem';

/**
 * The approval lifecycle, one small step per rule. Each public operation reads what it needs,
 * decides with pure functions, and commits one change set: the suggestion (conditioned on the
 * version it read), the settings version the decision rested on, its audit entry and (with an
 * Idempotency-Key) its answer.
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
  return runOnce(deps.store, idem, at, async () => {
    const view = await deps.store.getSettings();
    const made = newSuggestion({ req, hash, mailbox: req.mailbox }, view.settings, caller.actor, at);
    const changes: ChangeSet = { writes: made.writes, checks: [{ kind: 'settingsVersion', version: view.version }], audit: made.audit };
    if (!made.suggestion) return { result: refusal(req.actionType).asOutcome(), changes };
    return { result: { status: 201, body: { suggestion: made.suggestion } }, changes };
  });
}

/**
 * A new suggestion where its effective boundary puts it, with its audit entry: pure, for the
 * caller's change set. `floor` tightens the boundary further (triage uses it for suspicious mail).
 * A never-do proposal is not created: the attempt is audited and `suggestion` is null.
 */
export function newSuggestion(
  draft: { req: CreateSuggestionRequest; hash: string; mailbox?: string; triage?: Suggestion['triage'] },
  settings: Settings,
  actor: Actor,
  at: string,
  floor: Boundary = 'auto',
): { suggestion: Suggestion | null; writes: ChangeSet['writes']; audit: AuditDraft[] } {
  const { req, hash } = draft;
  const textOrigin = req.textOrigin ?? {};
  const trust = payloadTrust({ actionType: req.actionType, payload: req.payload, textOrigin, provenance: req.provenance });
  const boundary = stricter(effectiveBoundary(req.actionType, settings, trust), floor);
  const mailbox = draft.mailbox?.toLowerCase();
  if (boundary === 'never') {
    return { suggestion: null, writes: [], audit: [{ at, actor, action: 'suggestion.refused', subject: req.actionType, details: { reason: 'never-do', ref: req.provenance.ref } }] };
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
    textOrigin,
    ...(mailbox ? { mailbox } : {}),
    ...(draft.triage ? { triage: draft.triage } : {}),
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
  return {
    suggestion,
    writes: [{ kind: 'suggestion', value: suggestion, expectedVersion: null }],
    audit: [
      {
        at,
        actor,
        action: 'suggestion.created',
        subject: suggestion.id,
        details: {
          actionType: req.actionType,
          // The admin page's trail says "the comment on ABC-123".
          ...(suggestion.issueKey ? { issueKey: suggestion.issueKey } : {}),
          boundary,
          state: suggestion.state,
          payloadHash: hash,
          source: req.provenance.source,
          ref: req.provenance.ref,
          textOrigin: trust.origin,
          // Kinds only: the audit trail must not become a copy of the secret.
          ...(trust.sensitive.length ? { sensitive: trust.sensitive.map((f) => `${f.kind}:${f.field}`) } : {}),
        },
      },
    ],
  };
}

export function refusal(type: CreateSuggestionRequest['actionType']): Problem {
  return problems.unprocessable(`${type} is a never-do action: the agent may never ${ACTION_CATALOGUE[type].label.toLowerCase()}, so no suggestion was created.`);
}

// ---- decide (humans) -------------------------------------------------------------------------

export async function approveSuggestion(deps: LifecycleDeps, caller: Caller, id: string, req: ApproveRequest, idemKey?: string): Promise<Outcome> {
  const edit = req.payload ? await checkedEdit(deps.store, id, req) : undefined;
  // An email is handed to the person, who sends it from Outlook; nothing is queued to run.
  const event = (s: Suggestion): LifecycleEvent => (PERSON_CARRIES_OUT.has(s.actionType) ? 'handOver' : 'approve');
  return decide(deps, caller, id, event, { key: idemKey, request: req }, (settings, s, at, by) => {
    assertNotExpired(s, at);
    if (!edit) assertUnchanged(s, req.payloadHash);
    else if (req.basePayloadHash) assertUnchanged(s, req.basePayloadHash);
    assertStillAllowed(settings, s);
    const decision: Decision = { kind: 'approved', by: by.actor, at, payloadHash: edit?.hash ?? s.payloadHash };
    const next: Suggestion = edit ? { ...withEdit(s, edit, by), decision } : { ...s, decision };
    return { next, details: { payloadHash: decision.payloadHash, edited: Boolean(edit), ...(edit ? { editedFrom: req.basePayloadHash ?? null } : {}) } };
  });
}

/** `seenHash`, when given (bulk decisions), must be the payload the rejecter saw, as for an approval. */
export function rejectSuggestion(deps: LifecycleDeps, caller: Caller, id: string, reason: string, idemKey?: string, seenHash?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'reject', { key: idemKey, request: seenHash ? { reason, seenHash } : { reason } }, (_settings, s, at, by) => {
    if (seenHash) assertUnchanged(s, seenHash);
    return { next: { ...s, decision: { kind: 'rejected', by: by.actor, at, reason } }, details: { reason } };
  });
}

export function stopSuggestion(deps: LifecycleDeps, caller: Caller, id: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'stop', { key: idemKey, request: {} }, (_settings, s, at, by) => ({
    next: { ...s, runAt: null, decision: { kind: 'stopped', by: by.actor, at } },
    details: { runAt: s.runAt },
  }));
}

/** Dismiss: no action, no reason needed; audited like any decision. */
export function dismissSuggestion(deps: LifecycleDeps, caller: Caller, id: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'dismiss', { key: idemKey, request: {} }, (_settings, s, at, by) => ({
    next: { ...s, runAt: null, decision: { kind: 'dismissed', by: by.actor, at } },
    details: {},
  }));
}

/**
 * "Ask the agent to redo": the guidance is kept as the decision's reason, which the agent reads
 * with GET /v1/suggestions/{id}; the suggestion leaves the waiting list.
 */
export function respondToSuggestion(deps: LifecycleDeps, caller: Caller, id: string, guidance: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'respond', { key: idemKey, request: { guidance } }, (_settings, s, at, by) => ({
    next: { ...s, decision: { kind: 'returned', by: by.actor, at, reason: guidance } },
    details: { guidance },
  }));
}

/**
 * Takes back a rejection, dismissal or stop within the undo window: the suggestion waits for a
 * decision again. Not one from an email triage that has been redone since: the new triage's
 * suggestions stand in its place (and the change rests on no re-triage committing meanwhile).
 */
export function reopenSuggestion(deps: LifecycleDeps, caller: Caller, id: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'reopen', { key: idemKey, request: {} }, async (settings, s, at, by) => {
    const minutes = undoWindow(settings);
    if (takeBackAt(s, at, minutes) !== 'reopen') {
      throw problems.conflict(`This suggestion was ${s.state} more than ${minutesText(minutes)} ago, past the undo window; it can no longer be reopened.`, s);
    }
    const checks: Check[] = [];
    if (s.triage) {
      const latest = await deps.store.getTriage(s.triage.messageKey);
      const revision = latest ? revisionOf(latest) : 1;
      if (revision > s.triage.revision) {
        throw problems.conflict('This suggestion came from an earlier triage of the email, and the email has been triaged again since, so it can no longer be reopened. Decide on the new triage’s suggestions instead.', s);
      }
      checks.push({ kind: 'triageRevision', messageKey: s.triage.messageKey, revision });
    }
    return { next: { ...s, runAt: null, decision: null }, details: { was: s.state, decidedBy: s.decision?.by.id ?? null, undoWindowMinutes: minutes }, checks };
  });
}

// ---- after the fact: undo, run now, edit held, retry (humans) ---------------------------------

const undoWindow = (settings: Settings) => settings.undoWindowMinutes ?? UNDO_WINDOW_DEFAULT_MINUTES;
const minutesText = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);

/**
 * Asks the execute stage to take back an executed comment within the undo window: the
 * suggestion goes to `undoing` and its outbox row is opened again (conditioned on the closed one),
 * in one change set; the execute stage deletes the comment it finds by its marker.
 */
export function undoSuggestion(deps: LifecycleDeps, caller: Caller, id: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'undo', { key: idemKey, request: {} }, async (settings, s, at, by) => {
    const what = UNDOABLE[s.actionType];
    if (!what) throw problems.unprocessable(`A “${ACTION_CATALOGUE[s.actionType].label.toLowerCase()}” cannot be undone here; only a Jira comment the agent posted can.`);
    const minutes = undoWindow(settings);
    if (takeBackAt(s, at, minutes) !== 'undo') {
      throw problems.conflict(`This was done more than ${minutesText(minutes)} ago, past the undo window, so it can no longer be undone. Change it in Jira by hand if needed.`, s);
    }
    const open = await deps.store.getOutbox(id);
    return {
      next: s,
      details: { undoes: what, executedAt: s.result?.at, undoWindowMinutes: minutes },
      writes: [{ kind: 'outbox', value: { suggestionId: id, state: 'pending', attempts: 0, claimedAt: at, lastError: null }, expected: open ?? null }],
    };
  });
}

/** A held item approved to run now, bound to the payload the approver saw. */
export function runHeldNow(deps: LifecycleDeps, caller: Caller, id: string, seenHash: string, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'runNow', { key: idemKey, request: { seenHash } }, (settings, s, at, by) => {
    assertUnchanged(s, seenHash);
    assertStillAllowed(settings, s);
    return { next: { ...s, runAt: null, decision: { kind: 'approved', by: by.actor, at, payloadHash: s.payloadHash } }, details: { payloadHash: s.payloadHash, heldUntil: s.runAt } };
  });
}

/**
 * A held item edited before it runs: it keeps its hold timer, and the edit is the approver's text,
 * so it runs on their approval of exactly that payload (recorded as the decision).
 */
export async function editHeld(deps: LifecycleDeps, caller: Caller, id: string, req: EditHeldRequest, idemKey?: string): Promise<Outcome> {
  const edit = await checkedEdit(deps.store, id, req);
  return decide(deps, caller, id, 'editHeld', { key: idemKey, request: req }, (settings, s, at, by) => {
    assertUnchanged(s, req.basePayloadHash);
    const next: Suggestion = { ...withEdit(s, edit, by), decision: { kind: 'approved', by: by.actor, at, payloadHash: edit.hash } };
    assertStillAllowed(settings, next);
    return { next, details: { payloadHash: edit.hash, editedFrom: req.basePayloadHash, runAt: s.runAt } };
  });
}

/**
 * A failed status change tried again with one of the statuses Jira offered when it failed
 * (recorded by the execute stage in result.offeredStatuses): approved again for that payload, so
 * the dispatcher runs it; the execute stage checks the workflow live once more.
 */
export async function retryWithStatus(deps: LifecycleDeps, caller: Caller, id: string, req: RetryRequest, idemKey?: string): Promise<Outcome> {
  return decide(deps, caller, id, 'retry', { key: idemKey, request: req }, async (settings, s, at, by) => {
    if (s.actionType !== 'jira_status_change') throw problems.unprocessable('Only a failed status change can be retried with another status.');
    assertUnchanged(s, req.payloadHash);
    const offered = s.result?.offeredStatuses ?? [];
    const chosen = offered.find((o) => o.trim().toLowerCase() === req.toStatus.trim().toLowerCase());
    if (!chosen) {
      throw problems.badRequest(
        offered.length
          ? `“${req.toStatus}” is not a status Jira offered for ${s.issueKey}. Choose one of: ${offered.map((o) => `“${o}”`).join(', ')}.`
          : `Jira listed no other status for ${s.issueKey} when this failed, so there is nothing to retry with. Look at the issue in Jira.`,
      );
    }
    const payload = { ...s.payload, toStatus: chosen };
    const parsed = ACTION_CATALOGUE[s.actionType].payload.safeParse(payload);
    if (!parsed.success) throw problems.invalid('status change payload', parsed.error);
    const hash = await payloadHash(parsed.data);
    const next: Suggestion = {
      ...s,
      payload: parsed.data as Record<string, unknown>,
      payloadHash: hash,
      originalPayload: s.originalPayload ?? s.payload,
      edited: true,
      // The chosen status is the approver's, not the agent's.
      textOrigin: withHumanEdit(s.textOrigin, 'toStatus', by.actor.id),
      decision: { kind: 'approved', by: by.actor, at, payloadHash: hash },
      result: null,
    };
    assertStillAllowed(settings, next);
    return { next, details: { from: s.payload.toStatus ?? null, toStatus: chosen, payloadHash: hash } };
  });
}

type Decided = { next: Suggestion; details: Record<string, unknown>; writes?: ChangeSet['writes']; checks?: Check[] };
/** `by`: the caller as recorded, named as the admin named them on the approver list when their identity carries no name. */
type Decide = (settings: Settings, current: Suggestion, at: string, by: Caller) => Decided | Promise<Decided>;


/**
 * The shared shape of a human decision: the caller must be an approver, the suggestion must exist
 * and be in a state the event applies to; then the change (conditioned on the suggestion's version
 * and the settings version read), its audit entry and its answer are committed as one change set.
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
  return runOnce(deps.store, scope, at, async () => {
    const [view, found] = await Promise.all([deps.store.getSettings(), deps.store.getSuggestion(id)]);
    const by = recordedAs(caller, assertApprover(view.settings, caller));
    // Another mailbox's suggestion is answered exactly like a missing one.
    const current = found && canSee(caller, found.mailbox) ? found : throwNotFound(id);
    const event = typeof eventFor === 'string' ? eventFor : eventFor(current);
    assertCanApply(event, current);
    const { next, details, writes = [], checks = [] } = await change(view.settings, current, at, by);
    const stored: Suggestion = { ...next, state: nextState(event, current.state), updatedAt: at, version: current.version + 1 };
    return {
      result: { status: 200, body: { suggestion: stored } },
      changes: {
        writes: [{ kind: 'suggestion', value: stored, expectedVersion: current.version }, ...writes],
        checks: [{ kind: 'settingsVersion', version: view.version }, ...checks],
        audit: [{ at, actor: by.actor, action: `suggestion.${LIFECYCLE_PAST[event]}`, subject: id, details: { actionType: current.actionType, ...(current.issueKey ? { issueKey: current.issueKey } : {}), ...details } }],
      },
    };
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
  dismiss: 'dismissed',
  supersede: 'superseded',
  respond: 'returned',
  reopen: 'reopened',
  runNow: 'run_now',
  editHeld: 'edited_in_hold',
  retry: 'retried',
  undo: 'undo_requested',
  undoDone: 'undone',
  undoFail: 'undo_failed',
};

/** How a refused event reads in "it cannot be … any more", where the audit name would not. */
const CONFLICT_VERB: Partial<Record<LifecycleEvent, string>> = { undo: 'undone', runNow: 'run now', editHeld: 'edited', retry: 'retried' };

function assertApprover(settings: Settings, caller: Caller): Approver {
  const person = approverFor(caller, settings);
  if (!person) throw problems.forbidden('You are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.');
  return person;
}

/**
 * The caller as a decision records them: a Jira identity carries no name, so it gets the one the admin
 * gave the person ("Pat Morgan approved this" in the pane, not "A Jira user"). A name the identity
 * provider vouched for (Outlook's token) is kept. Who they are (principal, id) never changes.
 */
function recordedAs(caller: Caller, person: Approver): Caller {
  return caller.actor.name || isImportedName(person.name) ? caller : { ...caller, actor: { ...caller.actor, name: person.name } };
}

function throwNotFound(id: string): never {
  throw problems.notFound(`No suggestion with id ${id}. It may have been removed, or the link is wrong.`);
}

function assertCanApply(event: LifecycleEvent, s: Suggestion): void {
  if (!canApply(event, s.state)) {
    // Words only: a raw account id means nothing to the reader (the pages name the person from `current`).
    const by = s.decision?.by.name ? ` by ${s.decision.by.name}` : '';
    const when = s.decision ? ` on ${s.decision.at.slice(0, 16).replace('T', ' ')} UTC` : '';
    throw problems.conflict(`Someone got there first: this suggestion is now “${STATE_LABELS[s.state]}”${by}${when}, so it cannot be ${CONFLICT_VERB[event] ?? LIFECYCLE_PAST[event].replace('_', ' ')} any more.`, s);
  }
}

/** A suggestion past its expiresAt is expired, whether or not the sweep has marked it yet. */
function assertNotExpired(s: Suggestion, at: string): void {
  if (s.expiresAt && Date.parse(s.expiresAt) <= Date.parse(at)) {
    throw problems.conflict(`This suggestion expired at ${s.expiresAt}; it can no longer be approved. Ask the agent to propose it again if it is still needed.`, s);
  }
}

/** The approver must have seen the payload as it is now: a stale view is a conflict carrying the current payload. */
function assertUnchanged(s: Suggestion, seenHash: string): void {
  if (seenHash !== s.payloadHash) {
    throw problems.conflict('The suggestion changed since you loaded it. Review the current version below and approve again.', s);
  }
}

/** Settings may have been tightened since creation: an action an admin has since forbidden cannot be approved. */
function assertStillAllowed(settings: Settings, s: Suggestion): void {
  if (effectiveBoundary(s.actionType, settings, payloadTrust(s)) === 'never') {
    throw problems.unprocessable(`${s.actionType} is now a never-do action in this installation’s settings, so it cannot be approved.`);
  }
}

/** An edited payload must pass its action type's schema, and the hash sent must be the edited payload's own. */
/** The suggestion with a person's edit applied. The edited field is that person's text from now on: human-approved, not trusted for auto. */
function withEdit(s: Suggestion, edit: { payload: Record<string, unknown>; hash: string }, caller: Caller): Suggestion {
  const editedField = EDITABLE_TEXT[s.actionType]?.field;
  return {
    ...s,
    payload: edit.payload,
    payloadHash: edit.hash,
    originalPayload: s.originalPayload ?? s.payload,
    edited: true,
    ...(editedField ? { textOrigin: withHumanEdit(s.textOrigin, editedField, caller.actor.id) } : {}),
  };
}

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

/**
 * Pending suggestions past their expiresAt become expired, each in its own change set (no mass
 * rewrite); one that changed meanwhile is read again. Returns how many.
 */
export async function expireDue(deps: LifecycleDeps, actor: Actor): Promise<number> {
  const now = deps.now();
  const at = now.toISOString();
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.pageSuggestions({ state: 'pending', limit: 100, cursor });
    cursor = page.next ?? undefined;
    for (const { id, expiresAt } of page.items) {
      if (!expiresAt || Date.parse(expiresAt) > now.getTime()) continue;
      const expired = await decideAndCommit(deps.store, async () => {
        const s = await deps.store.getSuggestion(id);
        if (!s || !canApply('expire', s.state) || !s.expiresAt || Date.parse(s.expiresAt) > now.getTime()) return { result: false };
        const next: Suggestion = { ...s, state: 'expired', decision: { kind: 'expired', by: actor, at }, updatedAt: at, version: s.version + 1 };
        return {
          result: true,
          changes: {
            writes: [{ kind: 'suggestion', value: next, expectedVersion: s.version }],
            audit: [{ at, actor, action: 'suggestion.expired', subject: id, details: { expiresAt: s.expiresAt } }],
          },
        };
      });
      if (expired) n += 1;
    }
  } while (cursor);
  return n;
}

export { Problem };
