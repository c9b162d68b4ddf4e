import { ApiErrorBodySchema, ConflictCurrentSchema, REQUEST_ID_HEADER, describeIssues, type SettingsView, type Suggestion } from '@pm-agent/shared';
import {
  AuthError,
  BackendError,
  BadRequestError,
  ConflictError,
  InvalidResponseError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  ServerError,
  UnprocessableError,
  type HttpErrorInit,
  type Issue,
} from './errors';
import type { RawResponse } from './http';
import { redact } from './redact';
import { parseRetryAfterMs } from './retry';

/** What the client needs of a zod schema, without depending on zod's classes directly. */
export interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: Parameters<typeof describeIssues>[0] };
}

export interface ResponseContext {
  operation: string;
  /** Values to strip from anything the server says (secret key, session token, Authorization). */
  secrets: ReadonlyArray<string | undefined>;
}

/** A 2xx body validated against `schema`, or the typed error for the response. Never a cast. */
export function readResponse<T>(res: RawResponse, schema: ResponseSchema<T>, ctx: ResponseContext): T {
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res, ctx);
  const requestId = res.headers.get(REQUEST_ID_HEADER) ?? undefined;
  const json = parseJson(res.body);
  if (!json.ok) {
    throw new InvalidResponseError({ operation: ctx.operation, status: res.status, requestId, problem: res.body ? 'is not JSON' : 'is empty' });
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    throw new InvalidResponseError({
      operation: ctx.operation,
      status: res.status,
      requestId,
      problem: 'does not match the API schema',
      issues: describeIssues(parsed.error),
    });
  }
  return parsed.data;
}

/** Maps a non-2xx response to its error class. The body is best effort: a status alone is enough. */
export function errorFromResponse(res: RawResponse, ctx: ResponseContext): BackendError {
  const details = errorDetails(res.body);
  const serverMessage = details.message ? redact(details.message, ctx.secrets) : undefined;
  const init: HttpErrorInit = {
    operation: ctx.operation,
    status: res.status,
    requestId: res.headers.get(REQUEST_ID_HEADER) ?? details.requestId,
    code: details.code,
    serverMessage: serverMessage || undefined,
  };
  const retryAfterMs = parseRetryAfterMs(res.headers.get('retry-after'));
  switch (res.status) {
    case 400:
      return new BadRequestError({ ...init, issues: details.issues });
    case 401:
    case 403:
      // API Gateway may append ":http://internal.amazon.com/…" to the type.
      return new AuthError({ ...init, awsErrorType: res.headers.get('x-amzn-errortype')?.split(':')[0] || undefined });
    case 404:
      return new NotFoundError(init);
    case 409:
      return new ConflictError({ ...init, current: details.current });
    case 428:
      return new BadRequestError(init);
    case 413:
      return new PayloadTooLargeError(init);
    case 422:
      return new UnprocessableError({ ...init, issues: details.issues });
    case 429:
      return new RateLimitError({ ...init, retryAfterMs });
  }
  if (res.status >= 500) return new ServerError({ ...init, retryAfterMs });
  return new BackendError(`${ctx.operation} failed (HTTP ${res.status}).${serverMessage ? ` The backend said: "${serverMessage}".` : ''}`, init);
}

interface ErrorDetails {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  issues?: Issue[] | undefined;
  current?: Suggestion | SettingsView | undefined;
}

/** Our ApiErrorBody, else API Gateway's `{"message"}` / `{"Message"}`, else nothing. */
function errorDetails(body: string): ErrorDetails {
  const json = parseJson(body);
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return {};
  const ours = ApiErrorBodySchema.safeParse(json.value);
  if (ours.success) {
    const { error, message, requestId, issues, current } = ours.data;
    return { code: error, message, requestId, issues, current };
  }
  // Partly valid (say, a `current` that fails the schema): keep what can be read safely.
  const value = json.value;
  const current = ConflictCurrentSchema.safeParse(field(value, 'current'));
  return {
    code: stringField(value, 'error'),
    message: stringField(value, 'message') ?? stringField(value, 'Message'),
    requestId: stringField(value, 'requestId'),
    current: current.success ? current.data : undefined,
  };
}

function field(obj: object, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(obj, key) ? (Reflect.get(obj, key) as unknown) : undefined;
}

function stringField(obj: object, key: string): string | undefined {
  const value = field(obj, key);
  return typeof value === 'string' ? value : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (!text) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
