import type { Facts } from '@pm-agent/shared';
import { NO_USAGE, SanitiseRequestSchema, type SanitiseReply } from '../../contracts/stage-io';
import { modelConfig } from '../model/config';
import { extractFactsWithClaude } from '../model/extract-facts';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from './';

/**
 * What the sanitise stage does with one request, wherever it runs (a local stage process or the
 * sanitise Lambda). Deterministic cleaning and signals first; then the model (or the offline
 * extractor) pulls facts into a schema. Only the structured hand-over leaves; never the raw text.
 */
export async function sanitiseWork(input: unknown, apiKey: string | undefined): Promise<SanitiseReply> {
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
}
