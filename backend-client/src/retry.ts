import { BackendError, NetworkError, RateLimitError, ServerError, TimeoutError } from './errors';

/**
 * When a failed call may be sent again.
 * - `idempotent`: reads and PUT settings. Repeating them cannot do anything twice, so network
 *   errors, timeouts, 429 and 5xx are retried.
 * - `idempotency-key`: approve and reject. They carry one Idempotency-Key for every attempt, so the
 *   backend applies the decision at most once; network errors, timeouts and 5xx are retried.
 * - `never`: create and stop. A lost answer may hide a success, and repeating would act twice.
 */
export type RetryRule = 'idempotent' | 'idempotency-key' | 'never';

export interface BackoffOptions {
  /** First retry waits up to this long; each further retry doubles it. */
  initialDelayMs: number;
  /** No backoff wait is longer than this. */
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 500, maxDelayMs: 8_000 };

/** A Retry-After longer than this is not waited out: the error goes to the caller, who can decide. */
export const MAX_RETRY_AFTER_MS = 60_000;

export function isRetryable(rule: RetryRule, error: BackendError): boolean {
  if (rule === 'never') return false;
  if (error instanceof NetworkError || error instanceof TimeoutError || error instanceof ServerError) return true;
  return rule === 'idempotent' && error instanceof RateLimitError;
}

/** "Full jitter" (AWS Architecture Blog): uniform in [0, min(cap, initial * 2^retry)). */
export function backoffDelayMs(retryIndex: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retryIndex);
  return Math.floor(random() * ceiling);
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * How long to wait before retry number `retryIndex` (0-based) after `error`, or undefined to give up
 * because the server asked for a longer pause than we are willing to hold the caller for.
 */
export function retryDelayMs(error: BackendError, retryIndex: number, options: BackoffOptions, random?: () => number): number | undefined {
  const asked = error instanceof RateLimitError || error instanceof ServerError ? error.retryAfterMs : undefined;
  if (asked !== undefined) return asked <= MAX_RETRY_AFTER_MS ? asked : undefined;
  return backoffDelayMs(retryIndex, options, random);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
