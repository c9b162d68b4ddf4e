import { classifyWithClaude } from './classify-with-claude';
import { classifyOfflineScreened } from './offline-classifier';
import { modelConfig } from '../model/config';
import { ClassifyRequestSchema, NO_USAGE, type ClassifyReply } from '../../contracts/stage-io';
import { serveStage } from '../host/stage-host';

/**
 * The classify stage process. It sees only sanitise's structured hand-over, never the email's
 * raw text, and holds only the model key. With no key, the offline classifier answers.
 */
const apiKey = process.env.ANTHROPIC_API_KEY;

serveStage(async (input): Promise<ClassifyReply> => {
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
});
