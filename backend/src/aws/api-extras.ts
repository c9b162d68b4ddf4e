import { modelSettingsFromEnv } from '../api/triage/model-settings';
import type { AppDeps } from '../api/http/context';
import type { Store } from '../store/store';
import { claimReady } from './execute-flow';
import { ExecuteQueue } from './execute-queue';
import { SfnStages } from './sfn-stages';

/**
 * What the API function adds on AWS to the app the Lambda entry builds:
 * - triage through the Express state machine (the function holds no model key: whether the model
 *   is used is PM_AGENT_MODEL_ENABLED, the key itself is read by the stages from their secret);
 * - after a change (an approval, a resume), claim what became ready and queue it before the
 *   response is returned, so an approved comment runs now rather than at the next minute.
 */
export function awsTriage(env: Record<string, string | undefined> = process.env): AppDeps['triage'] | undefined {
  const machine = env.PM_AGENT_TRIAGE_MACHINE_ARN;
  if (!machine) return undefined;
  const model = modelSettingsFromEnv({ ...env, ANTHROPIC_API_KEY: env.PM_AGENT_MODEL_ENABLED === 'true' ? 'held-by-the-triage-stages' : undefined });
  const classify = { internalDomains: (env.PM_AGENT_INTERNAL_DOMAINS ?? '').split(',').map((d) => d.trim()).filter(Boolean), defaultProjectKey: env.PM_AGENT_DEFAULT_PROJECT ?? 'ABC' };
  return { stages: new SfnStages(machine, { ctx: classify, model: model.request }), model, classify };
}

/** The after-change hook and a way to wait for it before the Lambda returns (work after the response would be frozen). */
export function awsAfterChange(store: () => Promise<Store>, env: Record<string, string | undefined> = process.env): { afterChange: () => void; settled: () => Promise<void> } {
  const queueUrl = env.PM_AGENT_EXECUTE_QUEUE_URL;
  let pending: Promise<void> = Promise.resolve();
  return {
    afterChange: () => {
      if (!queueUrl) return;
      pending = pending.then(async () => {
        const ids = await claimReady(await store(), () => new Date());
        await new ExecuteQueue(queueUrl).enqueue(ids);
      }).catch((e: Error) => console.log(JSON.stringify({ event: 'dispatch.after_change_failed', error: e.message.slice(0, 300) })));
    },
    settled: () => pending,
  };
}

/** A structured line the stack's metric filter counts (alarm: model cap reached). */
export async function logModelCap(res: { statusCode: number; body: string }, path: string): Promise<void> {
  if (path !== '/v1/triage' || res.statusCode >= 300) return;
  try {
    if ((JSON.parse(res.body) as { triage?: { status?: string } }).triage?.status === 'capped') console.log(JSON.stringify({ event: 'model.cap_reached' }));
  } catch {
    // not JSON: nothing to count
  }
}
