import type { Facts } from '@pm-agent/shared';
import { modelConfig } from '../model/config';
import { extractFactsWithClaude } from '../model/extract-facts';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from './';
import { NO_USAGE, SanitiseRequestSchema, type SanitiseReply } from '../../contracts/stage-io';
import { serveStage } from '../host/stage-host';

/**
 * The sanitise stage process: the only code that sees the email's raw text. Deterministic
 * cleaning and signal detection first; then the model (or the offline extractor) pulls facts
 * into a schema. What leaves this process is the structured hand-over, never the raw text.
 */
const apiKey = process.env.ANTHROPIC_API_KEY;

serveStage(async (input): Promise<SanitiseReply> => {
  const req = SanitiseRequestSchema.parse(input);
  const clean = sanitiseDeterministic(req.email);
  if (!req.model || !apiKey) {
    return { sanitised: toSanitisedEmail(clean, extractFactsOffline(clean)), engine: { classifier: 'offline', model: null }, usage: NO_USAGE, failure: null };
  }
  const cfg = modelConfig({ apiKey, ...req.model });
  const out = await extractFactsWithClaude(cfg, clean);
  const usage = { calls: 1, ...out.usage };
  const engine = { classifier: 'claude' as const, model: cfg.model };
  if (out.ok) return { sanitised: toSanitisedEmail(clean, out.value), engine, usage, failure: null };
  // No facts: hand over the deterministic findings only, so people still see the signals and links.
  const placeholder: Facts = { summary: '(not extracted)', asks: [], dates: [], people: [], issueKeys: [] };
  return { sanitised: { ...toSanitisedEmail(clean, placeholder), facts: null }, engine, usage, failure: `${out.reason}: ${out.detail}` };
});
