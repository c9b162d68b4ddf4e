import { createHash } from 'node:crypto';
import {
  ACTION_CATALOGUE,
  ClassificationSchema,
  isNeverDo,
  payloadHash,
  type Actor,
  type Classification,
  type CreateSuggestionRequest,
  type EmailInput,
  type Signal,
  type Suggestion,
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
  stages: { call(stage: 'sanitise' | 'classify', input: unknown, timeoutMs?: number): Promise<unknown> };
  model: ModelSettings;
  classify: ClassifyContext;
  log?: (line: string) => void;
}

const inFlight = new Map<string, Promise<Outcome>>();

export function messageKeyFor(internetMessageId: string): string {
  return `msg_${createHash('sha256').update(internetMessageId.trim()).digest('hex').slice(0, 32)}`;
}

export async function triageEmail(deps: TriageDeps, caller: Caller, email: EmailInput): Promise<Outcome> {
  const messageKey = messageKeyFor(email.internetMessageId);
  const cached = await deps.store.getTriage(messageKey);
  if (cached) return { status: 200, body: { triage: await withCurrentSuggestions(deps.store, cached), cached: true } };
  // Two panes asking at once share one run.
  const running = inFlight.get(messageKey) ?? runPipeline(deps, caller, email, messageKey).finally(() => inFlight.delete(messageKey));
  inFlight.set(messageKey, running);
  return running;
}

async function runPipeline(deps: TriageDeps, caller: Caller, email: EmailInput, messageKey: string): Promise<Outcome> {
  const day = deps.now().toISOString().slice(0, 10);
  const capped = await dailyCapReason(deps, day);
  const model = capped ? null : deps.model.request;
  const draft = newDraft(messageKey, email, model ? 'claude' : 'offline', model?.model ?? null);
  if (!hasText(email)) return finish(deps, caller, draft, 'needs_review', 'The email has no subject and no body, so there is nothing to triage.');

  const sanitised = await callStage(deps, 'sanitise', { email, model }, SanitiseReplySchema);
  if (!sanitised.ok) return finish(deps, caller, draft, 'needs_review', sanitised.reason);
  await recordUsage(deps, day, sanitised.value.usage);
  fillFromSanitise(draft, sanitised.value);
  if (capped) return finish(deps, caller, draft, 'capped', capped);
  if (!sanitised.value.sanitised.facts) return finish(deps, caller, draft, 'needs_review', `Fact extraction failed: ${sanitised.value.failure ?? 'no facts'}.`);
  const perTriage = overPerTriageCap(deps, sanitised.value.usage);
  if (perTriage) return finish(deps, caller, draft, 'capped', perTriage);

  const handOver = { ...sanitised.value.sanitised, facts: sanitised.value.sanitised.facts };
  const classified = await callStage(deps, 'classify', { email: handOver, ctx: deps.classify, model }, ClassifyReplySchema);
  if (!classified.ok) return finish(deps, caller, draft, 'needs_review', classified.reason);
  await recordUsage(deps, day, classified.value.usage);
  const classification = ClassificationSchema.safeParse(classified.value.classification);
  if (classified.value.failure || !classification.success) {
    return finish(deps, caller, draft, 'needs_review', `The classification could not be trusted: ${classified.value.failure ?? classification.error?.issues[0]?.message}.`);
  }

  draft.category = classification.data.category;
  draft.priority = classification.data.priority;
  const { accepted, dropped } = screenActions(classification.data, draft);
  dropped.unshift(...classified.value.dropped.map(droppedSignal));
  draft.signals.push(...dropped);
  return finish(deps, caller, draft, 'complete', dropped.length ? `${dropped.length} proposed action(s) were dropped; see the signals.` : null, accepted);
}

/** A stored triage with its suggestions as they are now (approved, executed…), not as they were created. */
export async function withCurrentSuggestions(store: Store, t: Triage): Promise<Triage> {
  const current = await Promise.all(t.suggestions.map(async (s) => (await store.getSuggestion(s.id)) ?? s));
  return { ...t, suggestions: current };
}

function hasText(email: EmailInput): boolean {
  return [email.subject, email.bodyText ?? '', email.bodyHtml ?? ''].some((t) => t.trim().length > 0);
}

// ---- steps ---------------------------------------------------------------------------------------

type StageResult<T> = { ok: true; value: T } | { ok: false; reason: string };

async function callStage<T>(deps: TriageDeps, stage: 'sanitise' | 'classify', input: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string; path: PropertyKey[] }> } } }): Promise<StageResult<T>> {
  let raw: unknown;
  try {
    raw = await deps.stages.call(stage, input, 60_000);
  } catch (e) {
    return { ok: false, reason: `The ${stage} stage did not finish: ${(e as Error).message}.` };
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

interface Draft extends Omit<Triage, 'suggestions' | 'status' | 'statusReason'> {
  subject: string;
  provenanceTitle: string;
}

function newDraft(messageKey: string, email: EmailInput, classifier: Triage['classifier'], model: string | null): Draft {
  return {
    messageKey,
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
function screenActions(c: Classification, draft: Draft): { accepted: CreateSuggestionRequest[]; dropped: Signal[] } {
  const accepted: CreateSuggestionRequest[] = [];
  const dropped: Signal[] = [];
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
    accepted.push({
      actionType: a.actionType,
      payload: payload.data as Record<string, unknown>,
      rationale: a.rationale,
      provenance: { source: 'email', ref: draft.internetMessageId.slice(0, 500), title: draft.provenanceTitle, excerpt: draft.summary.slice(0, 2_000) },
    });
  }
  return { accepted, dropped };
}

/**
 * Commits the triage and its suggestions as one change set (conditioned on no triage for this
 * message yet, and on the settings version the boundaries came from). Suggestions from an email
 * that shows any sign of manipulation need a human approval whatever the boundary table says.
 */
async function finish(deps: TriageDeps, caller: Caller, draft: Draft, status: TriageStatus, reason: string | null, actions: CreateSuggestionRequest[] = []): Promise<Outcome> {
  const at = deps.now().toISOString();
  const hashed = await Promise.all(actions.map(async (req) => ({ req, hash: await payloadHash(req.payload) })));
  const floor = draft.signals.length ? 'approval' : 'auto';
  const agent: Actor = { ...AGENT_ACTOR, name: 'PM agent (email triage)' };
  const { subject: _s, provenanceTitle: _p, ...rest } = draft;
  return decideAndCommit(deps.store, async () => {
    const [existing, view] = await Promise.all([deps.store.getTriage(draft.messageKey), deps.store.getSettings()]);
    if (existing) return { result: { status: 200, body: { triage: await withCurrentSuggestions(deps.store, existing), cached: true } } };
    const made = hashed.map((h) => newSuggestion(h, view.settings, agent, at, floor));
    const suggestions = made.map((m) => m.suggestion).filter((s): s is Suggestion => s !== null);
    const triage: Triage = { ...rest, status, statusReason: reason, suggestions, createdAt: at };
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
