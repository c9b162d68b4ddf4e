import { ACTION_CATALOGUE, type ActionType } from '@pm-agent/shared';
import { EXECUTORS, UNDOERS, type ExecutorContext, type JiraPort } from './executors';
import type { ExecuteJob, ExecuteOutcome } from '../../contracts/execute-job';
import { JiraTransitionError } from './jira/jira-errors';
import { recheck, recheckUndo } from './recheck';

type Run = (p: unknown, ctx: ExecutorContext) => Promise<{ summary: string; link?: string }>;

/**
 * One execution, as the execute stage runs it: re-check, find the executor, run it, say what
 * happened. A suggestion in `undoing` runs its undo (UNDOERS) instead, under its own re-check.
 */
export async function runJob(job: ExecuteJob, env: { jira: JiraPort; jiraBaseUrl: string }): Promise<ExecuteOutcome> {
  const { suggestion: s } = job;
  const undo = s.state === 'undoing';
  const check = undo ? recheckUndo(s, job.settings) : await recheck(s, job.settings, new Date(job.now));
  if (!check.allowed) return check.deferred ? { outcome: 'deferred', summary: check.reason } : { outcome: 'refused', summary: check.reason };

  const run = (undo ? UNDOERS : EXECUTORS)[s.actionType] as Run | null;
  if (!run) return { outcome: 'failed', retryable: false, summary: undo ? `A ${s.actionType} cannot be undone.` : noExecutorReason(s.actionType) };

  // The payload passed its schema at creation and approval; parse again here, where it is used.
  const payload = ACTION_CATALOGUE[s.actionType].payload.safeParse(s.payload);
  if (!payload.success) return { outcome: 'refused', summary: `The payload is not a valid ${s.actionType}: ${payload.error.issues[0]?.message}` };

  try {
    const done = await run(payload.data, { jira: env.jira, jiraBaseUrl: env.jiraBaseUrl, marker: s.id });
    return { outcome: 'executed', ...done };
  } catch (e) {
    const err = e as { message?: string; status?: number; kind?: string };
    // No answer at all: Jira may have acted. Say so, rather than "failed"; a retry looks for the marker first.
    if (err.kind === 'timeout' || err.kind === 'network') return { outcome: 'unknown', summary: String(err.message ?? e).slice(0, 2_000) };
    // Client errors (bad issue, bad transition) will not fix themselves; network and 5xx might.
    const retryable = err.status === undefined || err.status >= 500 || err.status === 429;
    // A status the workflow cannot reach: pass on the ones it can, so a person can retry with one.
    const offered = e instanceof JiraTransitionError ? { offeredStatuses: [...new Set(e.available.map((t) => t.toStatus))].slice(0, 50) } : {};
    return { outcome: 'failed', retryable, summary: String(err.message ?? e).slice(0, 2_000), ...offered };
  }
}

function noExecutorReason(type: ActionType): string {
  if (type === 'email_stakeholder' || type === 'email_external') {
    return 'The agent never sends mail itself: open this reply from the Outlook pane, check it, and send it yourself.';
  }
  return `There is no executor for ${type}.`;
}
