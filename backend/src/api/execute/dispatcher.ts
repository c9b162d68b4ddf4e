import { canApply, nextState, type Suggestion } from '@pm-agent/shared';
import { SYSTEM_ACTOR } from '../../domain/caller';
import type { Store } from '../../store/store';
import { ExecuteOutcomeSchema, type ExecuteJob, type ExecuteOutcome } from '../../contracts/execute-job';

/**
 * Moves ready suggestions to the execute stage through an outbox, so that a crash anywhere is
 * resumed without doing an action twice:
 * 1. claim: in one transaction, the suggestion goes to `executing`, an outbox row is written, and
 *    the start is audited;
 * 2. dispatch: the job goes to the execute stage, which re-checks and acts (idempotently, by marker);
 * 3. settle: in one transaction, the outcome is recorded, audited, and the outbox row closed.
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
    for (const entry of await this.deps.store.listOutbox('pending')) await this.dispatch(entry.suggestionId);
    const now = this.deps.now().toISOString();
    for (const s of await this.deps.store.listRunnable(now, 50)) {
      if (await this.claim(s.id)) await this.dispatch(s.id);
    }
  }

  private claim(id: string): Promise<boolean> {
    const at = this.deps.now().toISOString();
    return this.deps.store.transaction((tx) => {
      const s = tx.getSuggestion(id);
      if (!s || !canApply('start', s.state)) return false;
      if (s.state === 'scheduled' && (!s.runAt || s.runAt > at)) return false;
      tx.updateSuggestion({ ...s, state: nextState('start', s.state), updatedAt: at, version: s.version + 1 });
      tx.putOutbox({ suggestionId: id, state: 'pending', attempts: 0, claimedAt: at, lastError: null });
      tx.appendAudit({ at, actor: SYSTEM_ACTOR, action: 'execution.started', subject: id, details: { actionType: s.actionType, from: s.state } });
      return true;
    });
  }

  private async dispatch(id: string): Promise<void> {
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

  private recordAttempt(s: Suggestion, error: string): Promise<void> {
    const at = this.deps.now().toISOString();
    const max = this.deps.maxAttempts ?? 5;
    return this.deps.store.transaction((tx) => {
      const entry = tx.getOutbox(s.id);
      if (!entry || entry.state === 'done') return;
      const attempts = entry.attempts + 1;
      tx.appendAudit({ at, actor: SYSTEM_ACTOR, action: 'execution.interrupted', subject: s.id, details: { attempt: attempts, error: error.slice(0, 300) } });
      if (attempts < max) return tx.putOutbox({ ...entry, attempts, lastError: error.slice(0, 500) });
      this.finish(tx, s.id, at, { outcome: 'failed', retryable: false, summary: `Gave up after ${attempts} interrupted attempts: ${error}`.slice(0, 2_000) });
    });
  }

  private settle(s: Suggestion, outcome: ExecuteOutcome): Promise<void> {
    const at = this.deps.now().toISOString();
    return this.deps.store.transaction((tx) => {
      if (outcome.outcome === 'deferred') return; // paused: the row stays open and resumes later
      if (outcome.outcome === 'failed' && outcome.retryable) {
        const entry = tx.getOutbox(s.id);
        const attempts = (entry?.attempts ?? 0) + 1;
        if (entry && attempts < (this.deps.maxAttempts ?? 5)) {
          tx.putOutbox({ ...entry, attempts, lastError: outcome.summary.slice(0, 500) });
          tx.appendAudit({ at, actor: SYSTEM_ACTOR, action: 'execution.retrying', subject: s.id, details: { attempt: attempts, error: outcome.summary.slice(0, 300) } });
          return;
        }
      }
      this.finish(tx, s.id, at, outcome);
    });
  }

  /** Closes the outbox row and records the final outcome on the suggestion, with its audit entry. */
  private finish(tx: Parameters<Parameters<Store['transaction']>[0]>[0], id: string, at: string, outcome: Exclude<ExecuteOutcome, { outcome: 'deferred' }>): void {
    const s = tx.getSuggestion(id);
    const entry = tx.getOutbox(id);
    if (!s || !entry || entry.state === 'done' || s.state !== 'executing') return;
    const ok = outcome.outcome === 'executed';
    const link = outcome.outcome === 'executed' ? outcome.link : undefined;
    tx.updateSuggestion({
      ...s,
      state: nextState(ok ? 'succeed' : 'fail', s.state),
      result: { ok, summary: outcome.summary, ...(link ? { link } : {}), at },
      updatedAt: at,
      version: s.version + 1,
    });
    tx.putOutbox({ ...entry, state: 'done' });
    const action = ok ? 'suggestion.executed' : outcome.outcome === 'refused' ? 'execution.refused' : 'suggestion.failed';
    tx.appendAudit({ at, actor: SYSTEM_ACTOR, action, subject: id, details: { actionType: s.actionType, summary: outcome.summary.slice(0, 500), ...(link ? { link } : {}) } });
  }
}
