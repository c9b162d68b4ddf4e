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
 * Failures in words a person understands: a title saying what went wrong and a message saying what
 * to do. No HTTP codes, request ids, option names or ARNs there: the error's own technical message
 * goes in `detail`, which the pane keeps behind "Details" for support.
 */
export interface ErrorView {
  title: string;
  message: string;
  detail?: string;
}

type ErrorClass = abstract new (...args: never[]) => Error;

const UNREACHABLE = {
  title: 'Cannot reach the PM agent service',
  message: 'The PM agent service is not answering. Check your connection and try again in a minute; if it keeps failing, tell your administrator.',
};

/** Whether the failure, or what caused it, is the network: the service is down, not the sign-in. */
function isUnreachable(e: unknown): boolean {
  for (let c: unknown = e, depth = 0; c instanceof Error && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    if (c instanceof NetworkError || c instanceof TimeoutError || (c instanceof TypeError && /fetch/i.test(c.message))) return true;
  }
  return false;
}

/** First match wins; order from specific to general. Tables as data. */
export const ERROR_WORDS: ReadonlyArray<readonly [ErrorClass | ((e: unknown) => boolean), { title: string; message: string }]> = [
  [ConfigError, { title: 'The pane is not set up', message: 'Ask your administrator to check the PM agent pane’s configuration.' }],
  [(e) => e instanceof CredentialsError && isUnreachable(e), UNREACHABLE],
  [CredentialsError, { title: 'Could not sign you in to the PM agent', message: 'Outlook could not sign you in to the PM agent service. Sign out of Outlook and in again; if it keeps failing, tell your administrator.' }],
  [NetworkError, UNREACHABLE],
  [TimeoutError, { title: 'The PM agent service took too long', message: 'It did not answer in time. It may be busy: try again in a minute.' }],
  [(e) => e instanceof AuthError && e.status === 403, { title: 'You may not do this', message: 'The PM agent service refused this for your account. If you should be an approver, ask a Jira admin to add you.' }],
  [AuthError, { title: 'The PM agent service did not accept your sign-in', message: 'Sign out of Outlook and in again; if it keeps failing, tell your administrator.' }],
  [ConflictError, { title: 'This suggestion changed', message: 'Someone changed or decided it since you looked. The card shows it as it is now.' }],
  [RateLimitError, { title: 'The PM agent service is busy', message: 'Wait a moment and try again.' }],
  [NotFoundError, { title: 'Not found', message: 'The PM agent service does not know this any more. Triage the email again.' }],
  [PayloadTooLargeError, { title: 'This email is too large to triage', message: 'Its text is over the size the PM agent service accepts.' }],
  [BadRequestError, { title: 'The PM agent service could not accept this', message: 'It refused the request as it stands. Try again; if it keeps failing, tell your administrator.' }],
  [UnprocessableError, { title: 'The PM agent service cannot do this', message: 'It refused to do this with the current settings.' }],
  [InvalidRequestError, { title: 'That cannot be sent as it is', message: 'The pane could not build a valid request from this. Try again after triaging the email again.' }],
  [InvalidResponseError, { title: 'The PM agent service answered in a way the pane does not understand', message: 'The pane and the service may be different versions. Tell your administrator.' }],
  [ServerError, { title: 'The PM agent service failed', message: 'Try again later; if it keeps failing, tell your administrator.' }],
];

/** The person pressed Cancel while waiting: nothing is wrong with them or the service, as far as we know. */
export const STOPPED_WAITING = {
  triage: { title: 'You stopped waiting for the triage', message: 'Nothing was changed. Press Try again to triage this email again.' },
  decision: { title: 'You stopped waiting', message: 'Your decision may or may not have reached the PM agent service. Try again sends the same decision once more; it is never recorded twice.' },
} as const satisfies Record<string, { title: string; message: string }>;

const UNKNOWN = { title: 'Something went wrong in the pane', message: 'Close and reopen the pane, then try again.' };

export function describeError(e: unknown): ErrorView {
  const match = ERROR_WORDS.find(([m]) => (m.prototype instanceof Error ? e instanceof (m as ErrorClass) : (m as (e: unknown) => boolean)(e)))?.[1] ?? UNKNOWN;
  const detail = e instanceof Error ? e.message : String(e);
  return { ...match, ...(detail ? { detail } : {}) };
}
