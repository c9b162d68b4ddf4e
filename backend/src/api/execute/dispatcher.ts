import { IN_FLIGHT, canApply, nextState, type ExecutionResult, type Suggestion, type SuggestionState } from '@pm-agent/shared';
import { SYSTEM_ACTOR } from '../../domain/caller';
import { dueAt } from '../../domain/hold-clock';
import { rescheduleOne } from '../../domain/settings';
import { decideAndCommit } from '../../domain/unit-of-work';
import type { AuditDraft, OutboxEntry, Store, Write } from '../../store/store';
import { ExecuteOutcomeSchema, type ExecuteJob, type ExecuteOutcome } from '../../contracts/execute-job';

/**
 * Moves ready suggestions to the execute stage through an outbox, so that a crash anywhere is
 * resumed without doing an action twice:
 * 1. claim: in one change set, the suggestion goes to `executing` (conditioned on its version and
 *    on the settings version that said "not paused"), an outbox row is written, and the start is audited;
 * 2. dispatch: the job goes to the execute stage, which re-checks and acts (idempotently, by marker);
 * 3. settle: in one change set, the outcome is recorded, audited, and the outbox row closed.
 * On start, every outbox row not closed is dispatched again.
 */
export interface DispatcherDeps {
  store: Store;
  execute: (job: ExecuteJob) => Promise<unknown>;
  now: () => Date;
  log?: (line: string) => void;
  /** How often to look for work, in ms. */
  pollMs?: number;
  /** Attempts per suggestion before it is marked failed. */
  maxAttempts?: number;
}

export class ExecutionDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(private readonly deps: DispatcherDeps) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.deps.pollMs ?? 1_000);
    this.timer.unref();
    this.kick();
  }

  /** Looks for work now (after an approval, say). Runs are never concurrent; a kick during a run schedules one more. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.tick().catch((e: Error) => this.deps.log?.(`dispatcher: ${e.message}`));
    } while (this.again);
  }

  private async tick(): Promise<void> {
    const { settings } = await this.deps.store.getSettings();
    if (settings.paused) return;
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listOutbox('pending', { limit: 50, cursor });
      for (const entry of page.items) await this.dispatch(entry.suggestionId);
      cursor = page.next ?? undefined;
    } while (cursor);
    const now = this.deps.now().toISOString();
    for (const s of await this.deps.store.listRunnable(now, 50)) {
      if (await this.claim(s.id)) await this.dispatch(s.id);
    }
  }

  /** Claims one ready suggestion; a held one only once it is due under the recorded pauses. */
  /** Public for the AWS dispatcher function (aws/execute-flow.ts), which claims without dispatching. */
  async claim(id: string): Promise<boolean> {
    const at = this.deps.now().toISOString();
    const claimed = await decideAndCommit<boolean | 'reschedule'>(this.deps.store, async () => {
      const [s, clock, view, open] = await Promise.all([this.deps.store.getSuggestion(id), this.deps.store.getPauses(), this.deps.store.getSettings(), this.deps.store.getOutbox(id)]);
      if (!s || !canApply('start', s.state) || view.settings.paused) return { result: false as const };
      // An open row: already in flight. A retried suggestion has a closed row from its first run,
      // which the claim reopens, conditioned on it.
      if (open?.state === 'pending') return { result: false as const };
      if (s.state === 'scheduled') {
        const due = dueAt(s, clock.pauses);
        if (!due || due > at) return { result: due && s.runAt !== due ? ('reschedule' as const) : (false as const) };
      }
      return {
        result: true as const,
        changes: {
          writes: [
            { kind: 'suggestion', value: { ...s, state: nextState('start', s.state), updatedAt: at, version: s.version + 1 }, expectedVersion: s.version },
            { kind: 'outbox', value: { suggestionId: id, state: 'pending', attempts: 0, claimedAt: at, lastError: null }, expected: open ?? null },
          ] satisfies Write[],
          checks: [{ kind: 'settingsVersion', version: view.version }],
          audit: [{ at, actor: SYSTEM_ACTOR, action: 'execution.started', subject: id, details: { actionType: s.actionType, ...(s.issueKey ? { issueKey: s.issueKey } : {}), from: s.state } }],
        },
      };
    });
    // Its stored runAt was behind the pauses (the resume step did not reach it): show the real time.
    if (claimed === 'reschedule') await rescheduleOne(this.deps.store, id, SYSTEM_ACTOR, at, 'resumed after pause');
    return claimed === true;
  }

  /** Public for the AWS execute function, which dispatches what the dispatcher function claimed. */
  async dispatch(id: string): Promise<void> {
    const s = await this.deps.store.getSuggestion(id);
    if (!s) return;
    const { settings } = await this.deps.store.getSettings();
    let outcome: ExecuteOutcome;
    try {
      const raw = await this.deps.execute({ suggestion: s, settings, now: this.deps.now().toISOString() });
      const parsed = ExecuteOutcomeSchema.safeParse(raw);
      outcome = parsed.success ? parsed.data : { outcome: 'failed', retryable: false, summary: 'The execute stage answered in an unexpected shape.' };
    } catch (e) {
      // The stage died or hung mid-action: keep the outbox row open and try again; the marker prevents a double action.
      await this.recordAttempt(s, (e as Error).message);
      return;
    }
    await this.settle(s, outcome);
  }

  private async recordAttempt(s: Suggestion, error: string): Promise<void> {
    const at = this.deps.now().toISOString();
    const max = this.deps.maxAttempts ?? 5;
    await decideAndCommit(this.deps.store, async () => {
      const entry = await this.deps.store.getOutbox(s.id);
      if (!entry || entry.state === 'done') return { result: undefined };
      const attempts = entry.attempts + 1;
      const audit: AuditDraft = { at, actor: SYSTEM_ACTOR, action: 'execution.interrupted', subject: s.id, details: { attempt: attempts, error: error.slice(0, 300) } };
      if (attempts < max) {
        return { result: undefined, changes: { writes: [{ kind: 'outbox', value: { ...entry, attempts, lastError: error.slice(0, 500) }, expected: entry }], audit: [audit] } };
      }
      // The stage died or hung mid-action every time: whether Jira acted is not known, so it is not "failed".
      const finish = await this.finish(s.id, entry, at, { outcome: 'unknown', summary: `Gave up after ${attempts} interrupted attempts: ${error}`.slice(0, 2_000) });
      return { result: undefined, changes: finish ? { writes: finish.writes, audit: [audit, ...finish.audit] } : { writes: [], audit: [audit] } };
    });
  }

  private async settle(s: Suggestion, outcome: ExecuteOutcome): Promise<void> {
    if (outcome.outcome === 'deferred') return; // paused: the row stays open and resumes later
    const at = this.deps.now().toISOString();
    await decideAndCommit(this.deps.store, async () => {
      const entry = await this.deps.store.getOutbox(s.id);
      if (!entry || entry.state === 'done') return { result: undefined };
      // A lost answer ('unknown') is retried like a retryable failure: the executor looks for its marker first.
      if ((outcome.outcome === 'failed' && outcome.retryable) || outcome.outcome === 'unknown') {
        const attempts = entry.attempts + 1;
        if (attempts < (this.deps.maxAttempts ?? 5)) {
          return {
            result: undefined,
            changes: {
              writes: [{ kind: 'outbox', value: { ...entry, attempts, lastError: outcome.summary.slice(0, 500) }, expected: entry }],
              audit: [{ at, actor: SYSTEM_ACTOR, action: outcome.outcome === 'unknown' ? 'execution.outcome_unknown' : 'execution.retrying', subject: s.id, details: { attempt: attempts, error: outcome.summary.slice(0, 300) } }],
            },
          };
        }
      }
      const finish = await this.finish(s.id, entry, at, outcome);
      return { result: undefined, changes: finish ?? undefined };
    });
  }

  /** Closes the outbox row and records the final outcome on the suggestion, with its audit entry. */
  private async finish(
    id: string,
    entry: OutboxEntry,
    at: string,
    outcome: Exclude<ExecuteOutcome, { outcome: 'deferred' }>,
  ): Promise<{ writes: Write[]; audit: AuditDraft[] } | null> {
    const s = await this.deps.store.getSuggestion(id);
    const settle = s && IN_FLIGHT[s.state];
    if (!s || !settle || !isInFlight(s.state)) return null;
    const state = s.state;
    if (outcome.outcome === 'unknown') {
      // Stop trying without pretending to know: it stays in flight (Jira may have done it), and says how to check.
      const summary = `Outcome unknown: the answer from Jira was lost, so it may or may not have been done. Check Jira for the label pm-agent-${id} (or the comment's pm-agent property) before doing it by hand. (${outcome.summary})`.slice(0, 2_000);
      return {
        writes: [
          { kind: 'suggestion', value: { ...s, result: { ok: false, summary, at }, updatedAt: at, version: s.version + 1 }, expectedVersion: s.version },
          { kind: 'outbox', value: { ...entry, state: 'done' }, expected: entry },
        ],
        audit: [{ at, actor: SYSTEM_ACTOR, action: 'execution.outcome_unknown', subject: id, details: { actionType: s.actionType, final: true, summary: summary.slice(0, 500) } }],
      };
    }
    const ok = outcome.outcome === 'executed';
    const link = outcome.outcome === 'executed' ? outcome.link : undefined;
    const offered = outcome.outcome === 'failed' && outcome.offeredStatuses?.length ? { offeredStatuses: outcome.offeredStatuses } : {};
    const next: Suggestion = {
      ...s,
      state: nextState(ok ? settle.done : settle.fail, s.state),
      result: SETTLED_RESULT[state]({ ok, summary: outcome.summary, ...(link ? { link } : {}), ...offered, at }, s.result),
      updatedAt: at,
      version: s.version + 1,
    };
    const action = SETTLED_AUDIT[state][ok ? 'done' : outcome.outcome === 'refused' ? 'refused' : 'failed'];
    return {
      writes: [
        { kind: 'suggestion', value: next, expectedVersion: s.version },
        { kind: 'outbox', value: { ...entry, state: 'done' }, expected: entry },
      ],
      audit: [{ at, actor: SYSTEM_ACTOR, action, subject: id, details: { actionType: s.actionType, summary: outcome.summary.slice(0, 500), ...(link ? { link } : {}) } }],
    };
  }
}

/** The states IN_FLIGHT settles (the dispatcher test holds this list equal to its non-null rows). */
type InFlight = 'executing' | 'undoing';
const isInFlight = (state: SuggestionState): state is InFlight => IN_FLIGHT[state] !== null && state in SETTLED_AUDIT;

/** The audit action for each way an in-flight state settles. */
export const SETTLED_AUDIT: Record<InFlight, { done: string; refused: string; failed: string }> = {
  executing: { done: 'suggestion.executed', refused: 'execution.refused', failed: 'suggestion.failed' },
  undoing: { done: 'suggestion.undone', refused: 'undo.refused', failed: 'undo.failed' },
};

/**
 * The result a settled state shows. An undo that did not happen keeps the action's own result
 * (its link, and its time, which the undo window counts from) and says why the undo failed.
 */
const SETTLED_RESULT: Record<InFlight, (got: ExecutionResult, before: ExecutionResult | null) => ExecutionResult> = {
  executing: (got) => got,
  undoing: (got, before) => (got.ok || !before ? got : { ...before, summary: `Could not undo: ${got.summary}`.slice(0, 2_000) }),
};
