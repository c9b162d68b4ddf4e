/**
 * What kind of failure a backend call ended in, as the typed client reports it (`BackendError.kind`).
 * Panels branch on this, never on the client's prose.
 */
export const BACKEND_ERROR_KINDS = [
  'network',
  'timeout',
  'aborted',
  'invalid_request',
  'credentials',
  'bad_request',
  'auth',
  'not_found',
  'conflict',
  'payload_too_large',
  'unprocessable',
  'rate_limited',
  'server',
  'invalid_response',
  'unexpected_status',
] as const;
export type BackendErrorKind = (typeof BACKEND_ERROR_KINDS)[number];
