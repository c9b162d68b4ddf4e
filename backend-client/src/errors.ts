import type { BackendErrorKind, SettingsView, Suggestion } from '@pm-agent/shared';

/**
 * Every failure a client call can end in. All extend BackendError, so one `catch` handles them,
 * and `instanceof` picks out the ones a panel reacts to differently (conflict, auth, rate limit).
 * Messages say what happened and what to do. They never carry a secret: server text is redacted
 * before it gets here (see redact.ts) and no request headers are kept.
 */

export interface Issue {
  path: string;
  message: string;
}

export interface BackendErrorInit {
  /** HTTP status; undefined when no response arrived (network error, timeout, cancel). */
  status?: number | undefined;
  /** From the `x-amzn-RequestId` response header (or the error body), for support tickets. */
  requestId?: string | undefined;
  /** The backend's error code (`error` in its body), the AWS error type, or the STS error code. */
  code?: string | undefined;
  /** The backend's own message (already redacted), when it sent one: panels show it as is. */
  serverMessage?: string | undefined;
  cause?: unknown;
}

export class BackendError extends Error {
  override name = 'BackendError';
  /** What kind of failure, for code that reacts to it (each subclass sets its own). */
  readonly kind: BackendErrorKind = 'unexpected_status';
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly code: string | undefined;
  /** The backend's own message, redacted; undefined when it sent none. Never parse `message` for it. */
  readonly serverMessage: string | undefined;

  constructor(message: string, init: BackendErrorInit = {}) {
    super(init.requestId ? `${message} [request id ${init.requestId}]` : message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.requestId = init.requestId;
    this.code = init.code;
    this.serverMessage = init.serverMessage;
  }
}

/** What every HTTP-status error is built from. `serverMessage` must already be redacted. */
export interface HttpErrorInit {
  /** What was attempted, e.g. "POST /v1/suggestions/sug_…/approve". */
  operation: string;
  status: number;
  requestId?: string | undefined;
  code?: string | undefined;
  serverMessage?: string | undefined;
}

function said(serverMessage: string | undefined): string {
  return serverMessage ? ` The backend said: "${serverMessage}".` : '';
}

/** fetch itself failed: connection refused or reset, DNS, TLS, CORS. Nothing is known about the server side. */
export class NetworkError extends BackendError {
  override name = 'NetworkError';
  override readonly kind: BackendErrorKind = 'network';
  constructor(init: { operation: string; target: string; reason: string; cause?: unknown }) {
    super(
      `${init.operation} could not reach ${init.target} (${init.reason}). Check the endpoint, the network and that the service is running, then try again.`,
      { cause: init.cause },
    );
  }
}

export class TimeoutError extends BackendError {
  override name = 'TimeoutError';
  override readonly kind: BackendErrorKind = 'timeout';
  readonly timeoutMs: number;
  constructor(init: { operation: string; target: string; timeoutMs: number }) {
    super(
      `${init.operation}: ${init.target} did not answer within ${init.timeoutMs} ms. Try again; if it keeps happening, check the service's health or raise timeoutMs.`,
    );
    this.timeoutMs = init.timeoutMs;
  }
}

/** The caller's AbortSignal fired. Not retried, not a fault. */
export class AbortedError extends BackendError {
  override name = 'AbortedError';
  override readonly kind: BackendErrorKind = 'aborted';
  constructor(operation: string) {
    super(`${operation} was cancelled by the caller.`);
  }
}

/** A call the client refused before sending anything, e.g. a malformed suggestion id. */
export class InvalidRequestError extends BackendError {
  override name = 'InvalidRequestError';
  override readonly kind: BackendErrorKind = 'invalid_request';
  constructor(message: string) {
    super(`${message} Nothing was sent.`);
  }
}

/** The credential provider could not produce credentials (for STS: `code` is the STS error code). */
export class CredentialsError extends BackendError {
  override name = 'CredentialsError';
  override readonly kind: BackendErrorKind = 'credentials';
  /** STS's `Type` (Sender/Receiver), when STS answered with an error. */
  readonly stsType: string | undefined;
  constructor(message: string, init: BackendErrorInit & { stsType?: string | undefined } = {}) {
    super(message, init);
    this.stsType = init.stsType;
  }
}

export class BadRequestError extends BackendError {
  override name = 'BadRequestError';
  override readonly kind: BackendErrorKind = 'bad_request';
  readonly issues: Issue[];
  constructor(init: HttpErrorInit & { issues?: Issue[] | undefined }) {
    const issues = init.issues ?? [];
    const listed = issues.length ? ` Problems: ${formatIssues(issues)}.` : said(init.serverMessage);
    super(`${init.operation} was refused as invalid (HTTP ${init.status}).${listed} Fix the request and try again.`, init);
    this.issues = issues;
  }
}

/** AWS API Gateway's error types for SigV4 failures, each with what to do about it. */
const AUTH_ADVICE: Record<string, string> = {
  InvalidSignatureException:
    'The request signature did not match. Check that the secret key, region and service match the backend and that the clock is correct.',
  IncompleteSignatureException: 'The request was missing part of its signature. Check the endpoint and that the request went through unmodified.',
  UnrecognizedClientException: 'The access key or session token is not recognised. The credentials may have expired: get new ones.',
  AccessDeniedException: 'These credentials may not call this route. Ask an administrator for the right role.',
};

export class AuthError extends BackendError {
  override name = 'AuthError';
  override readonly kind: BackendErrorKind = 'auth';
  /** From `x-amzn-ErrorType`, e.g. InvalidSignatureException; undefined for the backend's own 401/403. */
  readonly awsErrorType: string | undefined;
  constructor(init: HttpErrorInit & { awsErrorType?: string | undefined }) {
    const advice =
      (init.awsErrorType && AUTH_ADVICE[init.awsErrorType]) ||
      'You are not allowed to do this. Check that you are signed in as the right person and have the right role.';
    super(`${init.operation} was refused (HTTP ${init.status}${init.awsErrorType ? ` ${init.awsErrorType}` : ''}). ${advice}${said(init.serverMessage)}`, {
      ...init,
      code: init.code ?? init.awsErrorType,
    });
    this.awsErrorType = init.awsErrorType;
  }
}

export class NotFoundError extends BackendError {
  override name = 'NotFoundError';
  override readonly kind: BackendErrorKind = 'not_found';
  constructor(init: HttpErrorInit) {
    super(`${init.operation}: not found (HTTP 404). It may have been removed, or the id or endpoint is wrong.${said(init.serverMessage)}`, init);
  }
}

export class ConflictError extends BackendError {
  override name = 'ConflictError';
  override readonly kind: BackendErrorKind = 'conflict';
  /** The suggestion as it is now, when the backend sent it: show it and let the person decide again. */
  readonly current: Suggestion | undefined;
  /** On a settings change: the settings as they are now (someone changed them since they were read). */
  readonly currentSettings: SettingsView | undefined;
  constructor(init: HttpErrorInit & { current?: Suggestion | SettingsView | undefined }) {
    const settings = init.current && 'settings' in init.current ? init.current : undefined;
    super(
      settings
        ? `${init.operation}: the settings changed since they were read (HTTP 409; now version ${settings.version}). Look at the current settings and make the change again.${said(init.serverMessage)}`
        : `${init.operation}: the suggestion changed or was already decided (HTTP 409). Look at its current version and decide again.${said(init.serverMessage)}`,
      init,
    );
    this.current = settings ? undefined : (init.current as Suggestion | undefined);
    this.currentSettings = settings;
  }
}

export class PayloadTooLargeError extends BackendError {
  override name = 'PayloadTooLargeError';
  override readonly kind: BackendErrorKind = 'payload_too_large';
  constructor(init: HttpErrorInit) {
    super(`${init.operation}: the request body is too large (HTTP 413). Shorten the payload and try again.${said(init.serverMessage)}`, init);
  }
}

export class UnprocessableError extends BackendError {
  override name = 'UnprocessableError';
  override readonly kind: BackendErrorKind = 'unprocessable';
  readonly issues: Issue[];
  constructor(init: HttpErrorInit & { issues?: Issue[] | undefined }) {
    const issues = init.issues ?? [];
    const listed = issues.length ? ` Problems: ${formatIssues(issues)}.` : said(init.serverMessage);
    super(`${init.operation}: the backend understood the request but cannot apply it (HTTP 422).${listed} Change the request; repeating it as is will not help.`, init);
    this.issues = issues;
  }
}

export class RateLimitError extends BackendError {
  override name = 'RateLimitError';
  override readonly kind: BackendErrorKind = 'rate_limited';
  /** From Retry-After, when the backend sent one. */
  readonly retryAfterMs: number | undefined;
  constructor(init: HttpErrorInit & { retryAfterMs?: number | undefined }) {
    const wait = init.retryAfterMs !== undefined ? `Wait ${Math.ceil(init.retryAfterMs / 1000)} s` : 'Wait a little';
    super(`${init.operation}: too many requests (HTTP 429). ${wait} and try again.${said(init.serverMessage)}`, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

export class ServerError extends BackendError {
  override name = 'ServerError';
  override readonly kind: BackendErrorKind = 'server';
  readonly retryAfterMs: number | undefined;
  constructor(init: HttpErrorInit & { retryAfterMs?: number | undefined }) {
    super(
      `${init.operation}: the backend failed (HTTP ${init.status}). Try again later; if it persists, report the request id.${said(init.serverMessage)}`,
      init,
    );
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The backend answered, but not with what the API promises. Usually a client/backend version mismatch. */
export class InvalidResponseError extends BackendError {
  override name = 'InvalidResponseError';
  override readonly kind: BackendErrorKind = 'invalid_response';
  readonly issues: Issue[];
  constructor(init: { operation: string; status: number; requestId?: string | undefined; problem: string; issues?: Issue[] | undefined }) {
    const issues = init.issues ?? [];
    const listed = issues.length ? `: ${formatIssues(issues)}` : '';
    super(
      `${init.operation}: the backend's answer (HTTP ${init.status}) ${init.problem}${listed}. The client and backend versions may not match; update them or report the request id.`,
      init,
    );
    this.issues = issues;
  }
}

const MAX_LISTED_ISSUES = 5;

function formatIssues(issues: Issue[]): string {
  const shown = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}
