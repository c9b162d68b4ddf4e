import { ClassifyRequestSchema, NO_USAGE, type ClassifyReply } from '../../contracts/stage-io';
import { modelConfig } from '../model/config';
import { classifyWithClaude } from './classify-with-claude';
import { classifyOfflineScreened } from './offline-classifier';

/**
 * What the classify stage does with one request, wherever it runs (a local stage process or the
 * classify Lambda). It sees only sanitise's structured hand-over and holds only the model key.
 */
export async function classifyWork(input: unknown, apiKey: string | undefined): Promise<ClassifyReply> {
  const req = ClassifyRequestSchema.parse(input);
  if (!req.model || !apiKey) {
    const { classification, dropped } = classifyOfflineScreened(req.email, req.ctx);
    return { classification, dropped, engine: { classifier: 'offline', model: null }, usage: NO_USAGE, failure: null };
  }
  const cfg = modelConfig({ apiKey, ...req.model });
  const out = await classifyWithClaude(cfg, req.email, req.ctx);
  const usage = { calls: 1, ...out.usage };
  const engine = { classifier: 'claude' as const, model: cfg.model };
  if (!out.ok) return { classification: null, dropped: [], engine, usage, failure: `${out.reason}: ${out.detail}` };
  return { classification: out.value.classification, dropped: out.value.dropped, engine, usage, failure: null };
}
