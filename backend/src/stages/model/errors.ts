import Anthropic from '@anthropic-ai/sdk';
import type { ModelFailure } from './outcome';
import { safeDetail } from './redact';

/**
 * Maps what the SDK throws to a failure status. Order matters: the first matching row wins, and
 * the SDK's classes inherit (APIConnectionTimeoutError is an APIConnectionError, OverloadedError
 * an InternalServerError), so the narrow rows come first.
 */
type ErrorRow = { reason: ModelFailure; matches: (e: unknown) => boolean; say: (e: unknown) => string };

/** By name, not instanceof: fetch's SyntaxError can come from another realm (e.g. under jest). */
const named = (e: unknown, name: string): boolean => typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
const status = (e: unknown): number | undefined => (e instanceof Anthropic.APIError ? e.status : undefined);
const apiType = (e: unknown): string | null => (e instanceof Anthropic.APIError ? e.type : null);
const httpSays = (e: unknown): string => {
  const s = status(e);
  const t = apiType(e);
  const msg = e instanceof Anthropic.APIError ? e.apiMessage : null;
  return `HTTP ${s ?? '?'}${t ? ` ${t}` : ''}${msg ? `: ${msg}` : ''}`;
};

const ERROR_TABLE: readonly ErrorRow[] = [
  { reason: 'timeout', matches: (e) => e instanceof Anthropic.APIConnectionTimeoutError, say: () => 'no answer within the time limit' },
  { reason: 'timeout', matches: (e) => e instanceof Anthropic.APIUserAbortError, say: () => 'the request was aborted' },
  { reason: 'api_error', matches: (e) => e instanceof Anthropic.APIConnectionError, say: () => 'could not connect to the API' },
  { reason: 'auth', matches: (e) => e instanceof Anthropic.AuthenticationError || e instanceof Anthropic.PermissionDeniedError, say: (e) => `the API refused the key (${httpSays(e)})` },
  { reason: 'rate_limited', matches: (e) => e instanceof Anthropic.RateLimitError, say: (e) => `rate limited (${httpSays(e)})${retryAfter(e)}` },
  { reason: 'overloaded', matches: (e) => status(e) === 529 || apiType(e) === 'overloaded_error', say: (e) => `the API is overloaded (${httpSays(e)})${retryAfter(e)}` },
  { reason: 'timeout', matches: (e) => status(e) === 408 || status(e) === 504 || apiType(e) === 'timeout_error', say: (e) => `the API timed out (${httpSays(e)})` },
  { reason: 'api_error', matches: (e) => e instanceof Anthropic.APIError, say: (e) => `the API answered with an error (${httpSays(e)})` },
  // A 200 whose body is not JSON surfaces as the runtime's SyntaxError from response.json().
  { reason: 'api_error', matches: (e) => named(e, 'SyntaxError'), say: () => 'the API answered with a body that is not valid JSON' },
  { reason: 'api_error', matches: (e) => e instanceof Anthropic.AnthropicError, say: (e) => `the SDK failed: ${(e as Error).message}` },
];

function retryAfter(e: unknown): string {
  const h = e instanceof Anthropic.APIError ? e.headers?.get('retry-after') : null;
  return h && /^\d{1,6}$/.test(h) ? `; retry after ${h} s` : '';
}

export function failureFromError(e: unknown, secrets: readonly string[]): { reason: ModelFailure; detail: string } {
  const row = ERROR_TABLE.find((r) => r.matches(e));
  if (row) return { reason: row.reason, detail: safeDetail(row.say(e), secrets) };
  const name = typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string' ? (e as { name: string }).name : typeof e;
  return { reason: 'api_error', detail: safeDetail(`unexpected failure (${name})`, secrets) };
}
