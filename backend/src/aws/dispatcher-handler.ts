import { awsStore } from './aws-store';
import { claimReady } from './execute-flow';
import { ExecuteQueue } from './execute-queue';

/**
 * Every minute (EventBridge schedule): expire overdue approvals, claim approved and due
 * suggestions, and queue them for the execute function. Hold timers therefore run within a
 * minute of runAt. Its role can write the tables and send to the queue; it cannot read any secret.
 */
export async function handler(_event: unknown): Promise<{ queued: number }> {
  const queueUrl = process.env.PM_AGENT_EXECUTE_QUEUE_URL;
  if (!queueUrl) throw new Error('PM_AGENT_EXECUTE_QUEUE_URL must be set (the stack sets it)');
  const ids = await claimReady(await awsStore(), () => new Date());
  await new ExecuteQueue(queueUrl).enqueue(ids);
  console.log(JSON.stringify({ event: 'dispatch', queued: ids.length }));
  return { queued: ids.length };
}
