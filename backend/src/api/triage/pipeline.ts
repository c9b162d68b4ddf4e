import { createHash } from 'node:crypto';
import {
  ACTION_CATALOGUE,
  canonicalJson,
  ClassificationSchema,
  isNeverDo,
  payloadHash,
  sensitiveFindings,
  type Actor,
  type Classification,
  type CreateSuggestionRequest,
  type EmailInput,
  type Signal,
  type Suggestion,
  type Settings,
  type Triage,
  type TriageStatus,
} from '@pm-agent/shared';
import { AGENT_ACTOR, type Caller } from '../../domain/caller';
import type { Outcome } from '../../domain/idempotency';
import { newSuggestion } from '../../domain/suggestions';
import { decideAndCommit } from '../../domain/unit-of-work';
import type { AuditDraft, Store, Write } from '../../store/store';
import type { ModelSettings } from './model-settings';
import { ClassifyReplySchema, NO_USAGE, SanitiseReplySchema, type ClassifyContext, type SanitiseReply, type Usage } from '../../contracts/stage-io';

/**
 * The triage pipeline, one step per rule:
 * 1. the same message again returns the stored result, with no model call;
 * 2. the daily model budget is checked before any call;
 * 3. sanitise (isolated) turns the email into facts + signals; the raw text stops there;
 * 4. classify (isolated) sees only that hand-over and proposes category, priority and actions;
 * 5. every reply is schema-checked: anything else makes the triage "needs review" with no suggestions;
 * 6. actions are screened against the catalogue; never-do proposals are dropped and shown as signals;
 * 7. the triage, its suggestions and their audit entries are committed as one change set.
 */
export interface TriageDeps {
  store: Store;
  now: () => Date;
  stages: { call(stage: TriageStage, input: unknown, timeoutMs?: number): Promise<unknown> };
  model: ModelSettings;
  classify: ClassifyContext;
  log?: (line: string) => void;
}

const inFlight = new Map<string, Promise<Outcome>>();

/**
 * Lanes: an email whose body is over LARGE_EMAIL_CHARS is sanitised by its own process
 * (`sanitise_large`), so a one-line email never waits behind a multi-megabyte one. Parsing is
 * synchronous and cannot be interrupted from inside, so its time budget is enforced from outside:
 * a sanitise call that has not answered within `sanitiseBudgetMs` is abandoned and the process
 * restarted (the runner kills a stage that stops answering); the triage says why.
 */
export type TriageStage = 'sanitise' | 'sanitise_large' | 'classify';
export const LARGE_EMAIL_CHARS = 200_000;
export const DEFAULT_SANITISE_BUDGET_MS = 30_000;
const CLASSIFY_TIMEOUT_MS = 60_000;

export function sanitiseLane(email: EmailInput): 'sanitise' | 'sanitise_large' {
  return (email.bodyHtml?.length ?? 0) + (email.bodyText?.length ?? 0) > LARGE_EMAIL_CHARS ? 'sanitise_large' : 'sanitise';
}

/**
 * The cache key: the mailbox and the whole email as received, not the internetMessageId alone,
 * which the caller chooses. A forged email sent under another message's id gets its own key, and
 * one mailbox's result is never another's: the same email in two mailboxes is triaged twice.
 */
export function messageKeyFor(mailbox: string, email: EmailInput): string {
  const content = canonicalJson(JSON.parse(JSON.stringify({ ...email, internetMessageId: email.internetMessageId.trim() })));
  return `msg_${createHash('sha256').update(mailbox.toLowerCase()).update('\0').update(content).digest('hex').slice(0, 32)}`;
}

export async function triageEmail(deps: TriageDeps, caller: Caller, mailbox: string, email: EmailInput): Promise<Outcome> {
  const messageKey = messageKeyFor(mailbox, email);
  const cached = await deps.store.getTriage(messageKey);
  if (cached && cached.mailbox === mailbox) return { status: 200, body: { triage: await withCurrentSuggestions(deps.store, cached), cached: true } };
  // Two panes of one mailbox asking at once share one run.
  const running = inFlight.get(messageKey) ?? assess(deps, email, messageKey, mailbox).then((v) => finish(deps, caller, v)).finally(() => inFlight.delete(messageKey));
  inFlight.set(messageKey, running);
  return running;
}

/** What the isolated stages made of an email (steps 2–6), before anything is committed. */
export interface Verdict {
  draft: Draft;
  status: TriageStatus;
  reason: string | null;
  actions: CreateSuggestionRequest[];
}

const verdict = (draft: Draft, status: TriageStatus, reason: string | null, actions: CreateSuggestionRequest[] = []): Verdict => ({ draft, status, reason, actions });

/** Steps 2–6: the budget, then sanitise → classify (isolated), then screening. Commits nothing but model usage. */
export async function assess(deps: TriageDeps, email: EmailInput, messageKey: string, mailbox: string): Promise<Verdict> {
  const day = deps.now().toISOString().slice(0, 10);
  const capped = await dailyCapReason(deps, day);
  const model = capped ? null : deps.model.request;
  const draft = newDraft(messageKey, mailbox, email, model ? 'claude' : 'offline', model?.model ?? null);
  if (!hasText(email)) return verdict(draft, 'needs_review', 'The email has no subject and no body, so there is nothing to triage.');

  const budget = deps.model.caps.sanitiseBudgetMs ?? DEFAULT_SANITISE_BUDGET_MS;
  const sanitised = await callStage(deps, sanitiseLane(email), { email, model }, SanitiseReplySchema, budget);
  if (!sanitised.ok) return verdict(draft, 'needs_review', sanitised.reason);
  await recordUsage(deps, day, sanitised.value.usage);
  fillFromSanitise(draft, sanitised.value);
  if (capped) return verdict(draft, 'capped', capped);
  if (!sanitised.value.sanitised.facts) return verdict(draft, 'needs_review', `Fact extraction failed: ${sanitised.value.failure ?? 'no facts'}.`);
  const perTriage = overPerTriageCap(deps, sanitised.value.usage);
  if (perTriage) return verdict(draft, 'capped', perTriage);

  const handOver = { ...sanitised.value.sanitised, facts: sanitised.value.sanitised.facts };
  const classified = await callStage(deps, 'classify', { email: handOver, ctx: deps.classify, model }, ClassifyReplySchema);
  if (!classified.ok) return verdict(draft, 'needs_review', classified.reason);
  await recordUsage(deps, day, classified.value.usage);
  const classification = ClassificationSchema.safeParse(classified.value.classification);
  if (classified.value.failure || !classification.success) {
    return verdict(draft, 'needs_review', `The classification could not be trusted: ${classified.value.failure ?? classification.error?.issues[0]?.message}.`);
  }

  draft.category = classification.data.category;
  draft.priority = classification.data.priority;
  const { accepted, dropped, flagged } = screenActions(classification.data, draft);
  dropped.unshift(...classified.value.dropped.map(droppedSignal));
  draft.signals.push(...dropped, ...flagged);
  return verdict(draft, 'complete', dropped.length ? `${dropped.length} proposed action(s) were dropped; see the signals.` : null, accepted);
}

/** A stored triage with its suggestions as they are now (approved, executed…), not as they were created. */
/** The verdict's actions with their payload hashes (async: computed before deciding). */
export type HashedActions = Array<{ req: CreateSuggestionRequest; hash: string }>;

export function hashActions(v: Verdict): Promise<HashedActions> {
  return Promise.all(v.actions.map(async (req) => ({ req, hash: await payloadHash(req.payload) })));
}

/**
 * The triage and its new suggestions, pure, for the caller's change set. Suggestions from an email
 * that shows any sign of manipulation need a human approval whatever the boundary table says.
 */
/** The triage `revision` of the message (1: its first) and its suggestions, each recording which triage proposed it. */
export function proposal(v: Verdict, hashed: HashedActions, settings: Settings, at: string, revision: number): { triage: Triage; suggestions: Suggestion[]; made: Array<ReturnType<typeof newSuggestion>> } {
  const floor = v.draft.signals.length ? 'approval' : 'auto';
  const agent: Actor = { ...AGENT_ACTOR, name: 'PM agent (email triage)' };
  const triage = { messageKey: v.draft.messageKey, revision };
  const made = hashed.map((h) => newSuggestion({ ...h, mailbox: v.draft.mailbox, triage }, settings, agent, at, floor));
  const suggestions = made.map((m) => m.suggestion).filter((s): s is Suggestion => s !== null);
  const { subject: _s, provenanceTitle: _p, ...rest } = v.draft;
  return { triage: { ...rest, status: v.status, statusReason: v.reason, suggestions, createdAt: at }, suggestions, made };
}

export async function withCurrentSuggestions(store: Store, t: Triage): Promise<Triage> {
  const current = await Promise.all(t.suggestions.map(async (s) => (await store.getSuggestion(s.id)) ?? s));
  return { ...t, suggestions: current };
}

function hasText(email: EmailInput): boolean {
  return [email.subject, email.bodyText ?? '', email.bodyHtml ?? ''].some((t) => t.trim().length > 0);
}

// ---- steps ---------------------------------------------------------------------------------------

type StageResult<T> = { ok: true; value: T } | { ok: false; reason: string };

async function callStage<T>(deps: TriageDeps, stage: TriageStage, input: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string; path: PropertyKey[] }> } } }, timeoutMs = CLASSIFY_TIMEOUT_MS): Promise<StageResult<T>> {
  let raw: unknown;
  try {
    raw = await deps.stages.call(stage, input, timeoutMs);
  } catch (e) {
    const name = stage === 'classify' ? 'classify' : 'sanitise';
    const overBudget = (e as Error).name === 'StageTimeout' && name === 'sanitise';
    return { ok: false, reason: overBudget ? `The email took longer to read than the sanitise time budget (${timeoutMs} ms) allows; a person should review it.` : `The ${name} stage did not finish: ${(e as Error).message}.` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `The ${stage} stage answered in an unexpected shape (${issue?.path.join('.')}: ${issue?.message}).` };
  }
  return { ok: true, value: parsed.data };
}

async function dailyCapReason(deps: TriageDeps, day: string): Promise<string | null> {
  if (!deps.model.request) return null;
  const used = await deps.store.getModelUsage(day);
  const { dailyCalls, dailyTokens } = deps.model.caps;
  if (used.calls + 2 > dailyCalls) return `The daily model call cap (${dailyCalls}) is reached; triage resumes tomorrow (UTC) or when an admin raises PM_AGENT_MODEL_DAILY_CALLS.`;
  if (used.inputTokens + used.outputTokens >= dailyTokens) return `The daily model token cap (${dailyTokens}) is reached; triage resumes tomorrow (UTC) or when an admin raises PM_AGENT_MODEL_DAILY_TOKENS.`;
  return null;
}

function overPerTriageCap(deps: TriageDeps, usage: Usage): string | null {
  const used = usage.inputTokens + usage.outputTokens;
  const cap = deps.model.caps.perTriageTokens;
  return deps.model.request && used >= cap ? `This email used ${used} model tokens in sanitise, over the per-triage cap of ${cap}; it was not classified.` : null;
}

async function recordUsage(deps: TriageDeps, day: string, usage: Usage): Promise<void> {
  if (usage.calls === 0) return;
  await deps.store.commit({ writes: [{ kind: 'modelUsage', day, add: usage }] });
}

export interface Draft extends Omit<Triage, 'suggestions' | 'status' | 'statusReason' | 'mailbox'> {
  mailbox: string;
  subject: string;
  provenanceTitle: string;
}

function newDraft(messageKey: string, mailbox: string, email: EmailInput, classifier: Triage['classifier'], model: string | null): Draft {
  return {
    messageKey,
    mailbox,
    internetMessageId: email.internetMessageId,
    classifier,
    model,
    category: null,
    priority: null,
    issueKeys: [],
    summary: '',
    facts: null,
    signals: [],
    links: [],
    notices: [],
    createdAt: '',
    subject: email.subject,
    provenanceTitle: email.subject.slice(0, 300) || '(no subject)',
  };
}

function fillFromSanitise(draft: Draft, reply: SanitiseReply): void {
  const s = reply.sanitised;
  draft.classifier = reply.engine.classifier;
  draft.model = reply.engine.model;
  draft.facts = s.facts;
  draft.summary = s.facts?.summary ?? '';
  draft.issueKeys = s.facts?.issueKeys ?? [];
  draft.signals = [...s.signals];
  draft.links = s.links;
  draft.notices = s.notices;
}

/** A proposal the classify stage's own screening dropped, shown to people as a signal. */
function droppedSignal(d: { actionType: string; reason: string; detail: string }): Signal {
  const kind = d.reason === 'never_do' ? 'destructive_request' : d.reason.startsWith('unexpected') ? 'exfiltration' : 'instruction_override';
  return { kind, where: 'model', text: d.actionType.slice(0, 500), explanation: `A proposed ${d.actionType} was dropped: ${d.detail}`.slice(0, 300) };
}

/** Each proposed action must be in the catalogue with a valid payload; never-do proposals are dropped and shown. */
function screenActions(c: Classification, draft: Draft): { accepted: CreateSuggestionRequest[]; dropped: Signal[]; flagged: Signal[] } {
  const accepted: CreateSuggestionRequest[] = [];
  const dropped: Signal[] = [];
  const flagged: Signal[] = [];
  for (const a of c.actions) {
    if (isNeverDo(a.actionType)) {
      dropped.push({ kind: 'destructive_request', where: 'model', text: a.actionType, explanation: `The classifier proposed ${a.actionType}, a never-do action; it was dropped.` });
      continue;
    }
    const payload = ACTION_CATALOGUE[a.actionType].payload.safeParse(a.payload);
    if (!payload.success) {
      dropped.push({ kind: 'instruction_override', where: 'model', text: a.actionType, explanation: `A proposed ${a.actionType} had an invalid payload (${payload.error.issues[0]?.message}); it was dropped.`.slice(0, 300) });
      continue;
    }
    const req: CreateSuggestionRequest = {
      actionType: a.actionType,
      payload: payload.data as Record<string, unknown>,
      rationale: a.rationale,
      // The email's own words stay here, for the approver; the origin says which payload text is outside text.
      provenance: { source: 'email', ref: draft.internetMessageId.slice(0, 500), title: draft.provenanceTitle, excerpt: draft.summary.slice(0, 2_000) },
      ...(a.textOrigin ? { textOrigin: a.textOrigin } : {}),
    };
    accepted.push(req);
    flagged.push(...sensitiveSignals(req));
  }
  return { accepted, dropped, flagged };
}

/** Sensitive data in a proposal, shown to people as a signal (kind and field only, never the value). */
function sensitiveSignals(req: CreateSuggestionRequest): Signal[] {
  return sensitiveFindings(req.payload).map((f) => ({
    kind: 'sensitive_data' as const,
    where: 'model' as const,
    text: `${ACTION_CATALOGUE[req.actionType].label}: ${f.field}`,
    explanation: `The proposed ${req.actionType} contains what looks like ${f.label}; it cannot run without an approval.`,
  }));
}

/**
 * Commits the triage and its suggestions as one change set (conditioned on no triage for this
 * message yet, and on the settings version the boundaries came from). Suggestions from an email
 * that shows any sign of manipulation need a human approval whatever the boundary table says.
 */
async function finish(deps: TriageDeps, caller: Caller, v: Verdict): Promise<Outcome> {
  const { draft, status } = v;
  const at = deps.now().toISOString();
  const hashed = await hashActions(v);
  return decideAndCommit(deps.store, async () => {
    const [existing, view] = await Promise.all([deps.store.getTriage(draft.messageKey), deps.store.getSettings()]);
    if (existing && existing.mailbox === draft.mailbox) return { result: { status: 200, body: { triage: await withCurrentSuggestions(deps.store, existing), cached: true } } };
    const { triage, suggestions, made } = proposal(v, hashed, view.settings, at, 1);
    const writes: Write[] = made.flatMap((m) => m.writes);
    // A cap is temporary: a capped result is answered but not kept, so the next request tries again.
    if (status !== 'capped') writes.push({ kind: 'triage', value: triage });
    const audit: AuditDraft[] = [
      ...made.flatMap((m) => m.audit),
      {
        at,
        actor: caller.actor,
        action: 'triage.completed',
        subject: draft.messageKey,
        details: { status, classifier: draft.classifier, category: draft.category, signals: draft.signals.length, suggestions: suggestions.map((s) => s.id) },
      },
    ];
    return { result: { status: 201, body: { triage, cached: false } }, changes: { writes, checks: [{ kind: 'settingsVersion', version: view.version }], audit } };
  });
}
