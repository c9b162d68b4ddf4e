import { z } from 'zod';
import { DEFAULT_MODEL, type ModelRequest } from '../../contracts/stage-io';

/**
 * Model configuration and usage caps, from the runner's environment. With no ANTHROPIC_API_KEY
 * the deterministic offline classifier runs instead, and every result says so.
 */
const Env = z.object({
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  PM_AGENT_MODEL: z.string().min(1).default(DEFAULT_MODEL),
  PM_AGENT_MODEL_MAX_TOKENS: z.coerce.number().int().min(64).max(16_000).default(1_024),
  PM_AGENT_MODEL_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(20_000),
  /** Tokens (input + output) one triage may use across both stages. */
  PM_AGENT_TRIAGE_MAX_TOKENS: z.coerce.number().int().positive().default(20_000),
  PM_AGENT_MODEL_DAILY_CALLS: z.coerce.number().int().positive().default(1_000),
  PM_AGENT_MODEL_DAILY_TOKENS: z.coerce.number().int().positive().default(2_000_000),
  /** How long sanitise may take over one email before it is abandoned as "needs review". */
  PM_AGENT_SANITISE_BUDGET_MS: z.coerce.number().int().min(100).max(120_000).default(30_000),
  /** Per caller: triages that may start at once, then per minute (429 with Retry-After beyond). */
  PM_AGENT_TRIAGE_BURST: z.coerce.number().int().min(1).max(1_000).default(10),
  PM_AGENT_TRIAGE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
});

export interface ModelCaps {
  perTriageTokens: number;
  dailyCalls: number;
  dailyTokens: number;
  sanitiseBudgetMs?: number;
  /** Per-caller triage rate (see rate-limit.ts). */
  perCaller?: { burst: number; perMinute: number };
}

export interface ModelSettings {
  /** Null when no key is configured: the offline classifier runs. */
  request: ModelRequest | null;
  caps: ModelCaps;
}

export function modelSettingsFromEnv(env: Record<string, string | undefined>): ModelSettings {
  // An empty variable means "not set", as in a shell's `ANTHROPIC_API_KEY= npm start`.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new Error(`model configuration: ${String(i.path[0])} ${i.message}`);
  }
  const e = parsed.data;
  return {
    request: e.ANTHROPIC_API_KEY
      ? { model: e.PM_AGENT_MODEL, maxTokens: e.PM_AGENT_MODEL_MAX_TOKENS, timeoutMs: e.PM_AGENT_MODEL_TIMEOUT_MS, ...(e.ANTHROPIC_BASE_URL ? { baseURL: e.ANTHROPIC_BASE_URL } : {}) }
      : null,
    caps: {
      perTriageTokens: e.PM_AGENT_TRIAGE_MAX_TOKENS,
      dailyCalls: e.PM_AGENT_MODEL_DAILY_CALLS,
      dailyTokens: e.PM_AGENT_MODEL_DAILY_TOKENS,
      sanitiseBudgetMs: e.PM_AGENT_SANITISE_BUDGET_MS,
      perCaller: { burst: e.PM_AGENT_TRIAGE_BURST, perMinute: e.PM_AGENT_TRIAGE_PER_MINUTE },
    },
  };
}
