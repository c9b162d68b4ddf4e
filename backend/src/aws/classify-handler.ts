import type { z } from 'zod';
import { classifyWork } from '../stages/classify/work';
import { modelKey } from './stage-secret';
import { ClassifyTaskInputSchema, type ClassifyTaskReplySchema } from './triage-machine';

/**
 * Step Functions task handler: triage stage 2. It receives only sanitise's reply and the classify
 * settings (the state machine selects them), never the email itself.
 */
export async function handler(event: unknown): Promise<z.infer<typeof ClassifyTaskReplySchema>> {
  const { sanitised, classify } = ClassifyTaskInputSchema.parse(event);
  const facts = sanitised.sanitised.facts;
  if (!facts) return { skipped: true, reason: 'sanitise produced no facts' };
  const apiKey = classify.model ? await modelKey() : undefined;
  return classifyWork({ email: { ...sanitised.sanitised, facts }, ctx: classify.ctx, model: classify.model }, apiKey);
}
