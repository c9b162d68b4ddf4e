import { ACTION_CATALOGUE, type ActionType } from '@pm-agent/shared';
import { EXECUTORS, type ExecutorContext, type JiraPort } from './executors';
import type { ExecuteJob, ExecuteOutcome } from '../../contracts/execute-job';
import { recheck } from './recheck';

/** One execution, as the execute stage runs it: re-check, find the executor, run it, say what happened. */
export async function runJob(job: ExecuteJob, env: { jira: JiraPort; jiraBaseUrl: string }): Promise<ExecuteOutcome> {
  const { suggestion: s } = job;
  const check = await recheck(s, job.settings, new Date(job.now));
  if (!check.allowed) return check.deferred ? { outcome: 'deferred', summary: check.reason } : { outcome: 'refused', summary: check.reason };

  const executor = EXECUTORS[s.actionType] as ((p: unknown, ctx: ExecutorContext) => Promise<{ summary: string; link?: string }>) | null;
  if (!executor) return { outcome: 'failed', retryable: false, summary: noExecutorReason(s.actionType) };

  // The payload passed its schema at creation and approval; parse again here, where it is used.
  const payload = ACTION_CATALOGUE[s.actionType].payload.safeParse(s.payload);
  if (!payload.success) return { outcome: 'refused', summary: `The payload is not a valid ${s.actionType}: ${payload.error.issues[0]?.message}` };

  try {
    const done = await executor(payload.data, { jira: env.jira, jiraBaseUrl: env.jiraBaseUrl, marker: s.id });
    return { outcome: 'executed', ...done };
  } catch (e) {
    const err = e as { message?: string; status?: number };
    // Client errors (bad issue, bad transition) will not fix themselves; network and 5xx might.
    const retryable = err.status === undefined || err.status >= 500 || err.status === 429;
    return { outcome: 'failed', retryable, summary: String(err.message ?? e).slice(0, 2_000) };
  }
}

function noExecutorReason(type: ActionType): string {
  if (type === 'email_stakeholder' || type === 'email_external') {
    return 'The agent never sends mail itself: open this reply from the Outlook pane, check it, and send it yourself.';
  }
  return `There is no executor for ${type}.`;
}
