/**
 * LOCAL STAND-IN, not the Anthropic API. What the Messages-API double answers to one call,
 * scripted by tests in FIFO order. Plain data (plus one callback), so a script reads as a list.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when it did not parse. */
  body: unknown;
  /** The status the double answered with; null while a delayed answer is pending or when the client left first. */
  answered: number | null;
}

export type Behaviour =
  | { kind: 'toolUse'; input: unknown; name?: string }
  | { kind: 'text'; text: string }
  | { kind: 'truncated'; input: unknown }
  | { kind: 'refusal'; explanation: string | null }
  | { kind: 'status'; status: number; errorType: string; message: string; retryAfterSeconds?: number }
  | { kind: 'delay'; ms: number; then: Behaviour }
  | { kind: 'malformedJson' }
  | { kind: 'respond'; fn: (request: RecordedRequest) => Behaviour | Promise<Behaviour> };

/** A tool_use block for the requested tool, with this input. */
export const toolUse = (input: Record<string, unknown>): Behaviour => ({ kind: 'toolUse', input });
/** Any input at all, e.g. one that violates the tool's schema; `name` answers with a tool other than the requested one. */
export const toolUseRaw = (input: unknown, name?: string): Behaviour => ({ kind: 'toolUse', input, ...(name !== undefined ? { name } : {}) });
/** A text answer with no tool call. */
export const text = (s: string): Behaviour => ({ kind: 'text', text: s });
/** stop_reason max_tokens, with the (partial) tool input given. */
export const truncated = (input: unknown): Behaviour => ({ kind: 'truncated', input });
/** stop_reason refusal. */
export const refusal = (explanation: string | null = null): Behaviour => ({ kind: 'refusal', explanation });
/** An API error: 429 rate_limit_error (with retry-after), 529 overloaded_error, 500 api_error, 401 authentication_error… */
export const status = (code: number, errorType: string, opts: { message?: string; retryAfterSeconds?: number } = {}): Behaviour => ({
  kind: 'status',
  status: code,
  errorType,
  message: opts.message ?? `${errorType} (messages-api-double)`,
  ...(opts.retryAfterSeconds !== undefined ? { retryAfterSeconds: opts.retryAfterSeconds } : code === 429 ? { retryAfterSeconds: 30 } : {}),
});
/** Waits, then behaves as `then` (unless the client gave up first). */
export const delay = (ms: number, then: Behaviour): Behaviour => ({ kind: 'delay', ms, then });
/** A 200 whose body is not valid JSON. */
export const malformedJson = (): Behaviour => ({ kind: 'malformedJson' });
/** Computes the behaviour from what was sent, e.g. to echo facts back. */
export const respond = (fn: (request: RecordedRequest) => Behaviour | Promise<Behaviour>): Behaviour => ({ kind: 'respond', fn });
