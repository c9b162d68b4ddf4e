/**
 * What one model call ends as. A failure is a status for the caller to act on (retry later,
 * mark the triage "needs review"); this layer never retries by itself.
 */
export const MODEL_FAILURES = {
  invalid_output: 'The tool input did not pass the schema',
  truncated: 'The answer was cut off by max_tokens or the context window',
  refused: 'The model declined to answer',
  no_tool_call: 'The model answered without calling the tool',
  api_error: 'The API or the connection failed',
  timeout: 'No answer within the time limit',
  rate_limited: 'The API rate limit was hit (429)',
  overloaded: 'The API was overloaded (529)',
  auth: 'The API key was refused (401/403)',
} as const;
export type ModelFailure = keyof typeof MODEL_FAILURES;

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
}
export const NO_MODEL_USAGE: ModelUsage = Object.freeze({ inputTokens: 0, outputTokens: 0 });

export type ModelOutcome<T> =
  | { ok: true; value: T; usage: ModelUsage; model: string }
  | { ok: false; reason: ModelFailure; detail: string; usage: ModelUsage };

export function failure(reason: ModelFailure, detail: string, usage: ModelUsage = NO_MODEL_USAGE): { ok: false; reason: ModelFailure; detail: string; usage: ModelUsage } {
  return { ok: false, reason, detail, usage };
}

/** Keeps the outcome's status and usage while replacing a success's value (e.g. after screening). */
export function mapOutcome<A, B>(o: ModelOutcome<A>, f: (value: A) => B): ModelOutcome<B> {
  return o.ok ? { ...o, value: f(o.value) } : o;
}
