import { AbortedError, NetworkError, TimeoutError } from './errors';

/**
 * The slice of fetch the client uses. globalThis.fetch fits, and so do fetch-alikes such as
 * Forge's, which take a URL string and plain-object headers.
 */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type FetchFn = (url: string, init: FetchInit) => Promise<FetchResponse>;

/** Looked up per call so a fetch installed after the client was built (polyfill, test double) is used. */
export const defaultFetch: FetchFn = (url, init) => globalThis.fetch(url, init);

export interface RawResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: string;
}

export interface ExchangeContext {
  /** "GET /v1/health", for messages. */
  operation: string;
  /** "the backend at http://…", for messages. */
  target: string;
  timeoutMs: number;
  /** The caller's signal: aborts this exchange, and is reported as AbortedError rather than a timeout. */
  signal?: AbortSignal | undefined;
}

/**
 * One HTTP exchange, status line to last body byte, under its own timeout. Fetch failures become
 * NetworkError, TimeoutError or AbortedError; HTTP statuses are left to the caller.
 */
export async function exchange(fetchFn: FetchFn, url: string, init: Omit<FetchInit, 'signal'>, ctx: ExchangeContext): Promise<RawResponse> {
  if (ctx.signal?.aborted) throw new AbortedError(ctx.operation);
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, ctx.timeoutMs);
  const onCallerAbort = () => controller.abort();
  ctx.signal?.addEventListener('abort', onCallerAbort, { once: true });
  try {
    // The race matters for fetch-alikes that ignore `signal`: the timeout still ends the wait.
    const res = await raceAbort(fetchFn(url, { ...init, signal: controller.signal }), controller.signal);
    const body = await raceAbort(res.text(), controller.signal);
    return { status: res.status, headers: res.headers, body };
  } catch (error) {
    if (ctx.signal?.aborted) throw new AbortedError(ctx.operation);
    if (timedOut) throw new TimeoutError({ operation: ctx.operation, target: ctx.target, timeoutMs: ctx.timeoutMs });
    throw new NetworkError({ operation: ctx.operation, target: ctx.target, reason: describeFetchFailure(error), cause: error });
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onCallerAbort);
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      promise.catch(() => undefined); // the loser's rejection is expected; keep it from surfacing as unhandled
      return reject(signal.reason);
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * "ECONNREFUSED" from Node's `fetch failed` cause, else the error's own message. Never headers or
 * bodies. Duck-typed: errors from another realm (a browser frame, a test sandbox) fail instanceof.
 */
function describeFetchFailure(error: unknown): string {
  const cause = property(error, 'cause');
  const code = property(cause, 'code');
  if (typeof code === 'string' && code) return code;
  return errorMessage(cause) ?? errorMessage(error) ?? 'request failed';
}

export function errorMessage(error: unknown): string | undefined {
  const message = property(error, 'message');
  return typeof message === 'string' && message ? message : undefined;
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (Reflect.get(value, key) as unknown) : undefined;
}
