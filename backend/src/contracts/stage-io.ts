import { z } from 'zod';
import { EmailInputSchema, FactsSchema, IssueKey, ProjectKey, SanitisedEmailSchema } from '@pm-agent/shared';

/**
 * What crosses between the runner and the two triage stages. The runner validates every reply:
 * a stage that answers anything else makes the triage "needs review".
 */

/**
 * The newest Sonnet id in @anthropic-ai/sdk 1.10.0's Model type. Not 'claude-sonnet-4-5': the SDK
 * lists it as deprecated (end of life 30 Nov 2026) and warns on every call. The runner passes
 * its own PM_AGENT_MODEL, which should follow. Here because both sides of the boundary need it.
 */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

export const ModelRequestSchema = z.strictObject({
  model: z.string().min(1).max(200),
  maxTokens: z.number().int().min(64).max(16_000),
  timeoutMs: z.number().int().min(1_000).max(120_000),
  baseURL: z.string().url().optional(),
});
export type ModelRequest = z.infer<typeof ModelRequestSchema>;

export const UsageSchema = z.strictObject({
  calls: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof UsageSchema>;
export const NO_USAGE: Usage = { calls: 0, inputTokens: 0, outputTokens: 0 };

const EngineSchema = z.strictObject({ classifier: z.enum(['claude', 'offline']), model: z.string().nullable() });

export const SanitiseRequestSchema = z.strictObject({ email: EmailInputSchema, model: ModelRequestSchema.nullable() });
export type SanitiseRequest = z.infer<typeof SanitiseRequestSchema>;

/** Sanitise's reply: the hand-over for classify (no raw text), with facts null when extraction failed. */
export const SanitiseReplySchema = z.strictObject({
  sanitised: SanitisedEmailSchema.extend({ facts: FactsSchema.nullable() }),
  engine: EngineSchema,
  usage: UsageSchema,
  failure: z.string().max(500).nullable(),
});
export type SanitiseReply = z.infer<typeof SanitiseReplySchema>;

export const ClassifyContextSchema = z.strictObject({
  internalDomains: z.array(z.string().max(253)).max(50),
  defaultProjectKey: ProjectKey,
});
export type ClassifyContext = z.infer<typeof ClassifyContextSchema>;

export const ClassifyRequestSchema = z.strictObject({ email: SanitisedEmailSchema, ctx: ClassifyContextSchema, model: ModelRequestSchema.nullable() });
export type ClassifyRequest = z.infer<typeof ClassifyRequestSchema>;

/** The classification itself is checked by the runner (ClassificationSchema, then each payload against the catalogue). */
export const ClassifyReplySchema = z.strictObject({
  classification: z.unknown(),
  /** Proposals the stage's own screening dropped (never-do, invalid payload, off-target), to show as signals. */
  dropped: z.array(z.strictObject({ actionType: z.string().max(100), reason: z.string().max(100), detail: z.string().max(500) })).max(50),
  engine: EngineSchema,
  usage: UsageSchema,
  failure: z.string().max(500).nullable(),
});
export type ClassifyReply = z.infer<typeof ClassifyReplySchema>;

/** Defined once in shared/ (the client checks the same format). */
export { MessageKeySchema } from '@pm-agent/shared';
export { IssueKey };
