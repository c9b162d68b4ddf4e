export { BackendClient, createBackendClient } from './client';
export type { AfterTheFactRequest, AuditQuery, BackendClientOptions, DecisionOptions, Identity, RequestOptions, RetryEvent } from './client';
export {
  AbortedError,
  AuthError,
  BackendError,
  BadRequestError,
  ConflictError,
  CredentialsError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnprocessableError,
} from './errors';
export type { BackendErrorInit, Issue } from './errors';
export { staticCredentials } from './credentials/static';
export { webIdentityCredentials } from './credentials/web-identity';
export type { WebIdentityCredentialsOptions } from './credentials/web-identity';
export type { CredentialProvider, Credentials } from './credentials/types';
export type { FetchFn, FetchInit, FetchResponse } from './http';
export type { BackoffOptions, RetryRule } from './retry';
