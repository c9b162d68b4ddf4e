import { z } from 'zod';
import { DEFAULT_MODEL } from '../../contracts/stage-io';

/**
 * How a triage stage reaches Claude. Passed in by the stage (which alone holds the key); nothing
 * here reads the environment, so the stage's bundle stays pure apart from the HTTP call.
 */

export { DEFAULT_MODEL };
export const DEFAULT_MAX_TOKENS = 1_024;
export const DEFAULT_TIMEOUT_MS = 20_000;
/** Used when no baseURL is given, so the SDK never falls back to ANTHROPIC_BASE_URL from the environment. */
export const ANTHROPIC_API_URL = 'https://api.anthropic.com';

export const ModelConfigSchema = z.strictObject({
  apiKey: z.string().min(1, 'must not be empty').max(500),
  baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  model: z.string().min(1).max(200).default(DEFAULT_MODEL),
  /** Per call, not per triage: the runner enforces the per-triage and daily caps. */
  maxTokens: z.number().int().min(64).max(16_000).default(DEFAULT_MAX_TOKENS),
  timeoutMs: z.number().int().min(100).max(120_000).default(DEFAULT_TIMEOUT_MS),
});
export type ModelConfig = z.output<typeof ModelConfigSchema>;
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;

/** Fills defaults and checks ranges. The error names the field, never the key's value. */
export function modelConfig(input: ModelConfigInput): ModelConfig {
  const parsed = ModelConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`model configuration: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`);
}
