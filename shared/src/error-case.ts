import type { BackendErrorKind } from './backend-errors';

/**
 * Which row of the error-words table a failed backend call reads as. Mostly the client's `kind`;
 * two kinds split by what is structurally known about them:
 * - `credentials` whose cause was the network is "cannot reach the service", not "cannot sign you in";
 * - `auth` where the key or sign-in was accepted but this call was not allowed is `forbidden`.
 */
export type ErrorCase = BackendErrorKind | 'forbidden';

/** What a panel knows about a failed call: the typed client's error, read structurally. */
export interface FailureFacts {
  kind: BackendErrorKind;
  status?: number | undefined;
  /** The backend's error code (or the AWS error type when the body had none). */
  code?: string | undefined;
  /** API Gateway's `x-amzn-ErrorType`, on a refused signature or key. */
  awsErrorType?: string | undefined;
  /** The backend's own sentence, already redacted by the client. */
  serverMessage?: string | undefined;
  cause?: unknown;
}

/** AWS error types that mean the signature or key was not accepted (the others mean "not allowed"). */
const NOT_ACCEPTED_CODES: ReadonlySet<string> = new Set(['InvalidSignatureException', 'IncompleteSignatureException', 'UnrecognizedClientException', 'MissingAuthenticationTokenException']);

/** Kinds meaning nobody answered: the service is down or unreachable. */
const UNANSWERED_KINDS: ReadonlySet<string> = new Set<BackendErrorKind>(['network', 'timeout']);

/** Whether the failure, or what caused it, is that nobody answered (a fetch that failed outright counts). */
export function nobodyAnswered(error: unknown): boolean {
  for (let c: unknown = error, depth = 0; c instanceof Error && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const kind = (c as { kind?: unknown }).kind;
    if ((typeof kind === 'string' && UNANSWERED_KINDS.has(kind)) || (c instanceof TypeError && /fetch/i.test(c.message))) return true;
  }
  return false;
}

/** Per kind, when it reads as another row; kinds not listed read as themselves. */
const REREAD: Partial<Record<BackendErrorKind, (e: FailureFacts) => ErrorCase>> = {
  credentials: (e) => (nobodyAnswered(e.cause) ? 'network' : 'credentials'),
  auth: (e) => (e.status === 401 || [e.awsErrorType, e.code].some((c) => c !== undefined && NOT_ACCEPTED_CODES.has(c)) ? 'auth' : 'forbidden'),
};

export function errorCase(e: FailureFacts): ErrorCase {
  return REREAD[e.kind]?.(e) ?? e.kind;
}
