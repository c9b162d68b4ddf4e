import {
  AuthError,
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
} from '@pm-agent/backend-client';
import { ConfigError } from './auth/config';

/**
 * Failures in words: a short title saying what went wrong and the error's own message saying what
 * to do (backend-client's messages are written for people and never carry secrets).
 */
export interface ErrorView {
  title: string;
  message: string;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** First match wins; order from specific to general. */
export const ERROR_TITLES: ReadonlyArray<readonly [ErrorClass, string]> = [
  [ConfigError, 'The pane is not set up'],
  [CredentialsError, 'Could not sign you in to the PM agent'],
  [NetworkError, 'Cannot reach the PM agent backend'],
  [TimeoutError, 'The PM agent backend took too long'],
  [ConflictError, 'This suggestion changed'],
  [RateLimitError, 'The PM agent backend is busy'],
  [NotFoundError, 'Not found'],
  [PayloadTooLargeError, 'This email is too large to triage'],
  [BadRequestError, 'The backend could not accept this'],
  [UnprocessableError, 'The backend cannot do this'],
  [InvalidRequestError, 'That cannot be sent as it is'],
  [InvalidResponseError, 'The backend answered in a way the pane does not understand'],
  [ServerError, 'The PM agent backend failed'],
];

export function describeError(e: unknown): ErrorView {
  if (e instanceof AuthError) {
    return { title: e.status === 403 ? 'You may not do this' : 'The backend did not accept your sign-in', message: e.message };
  }
  const error = e instanceof Error ? e : new Error(String(e));
  const title = ERROR_TITLES.find(([cls]) => error instanceof cls)?.[1] ?? 'Something went wrong in the pane';
  return { title, message: error.message || 'No details were given.' };
}
