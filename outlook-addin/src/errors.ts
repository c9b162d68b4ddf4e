import { BackendError } from '@pm-agent/backend-client';
import { describeBackendFailure } from '@pm-agent/shared';
import { ConfigError } from './auth/config';

/**
 * Failures in words a person understands: a title saying what went wrong and a message saying what
 * to do. Backend failures read from the table both panels share (shared/src/error-words.ts); the
 * pane keeps only its own: its configuration, and the person stopping the wait. No HTTP codes,
 * request ids, option names or ARNs there: the error's own technical message goes in `detail`,
 * which the pane keeps behind "Details" for support.
 */
export interface ErrorView {
  title: string;
  message: string;
  detail?: string;
}

/** The pane's own failures, before any backend call: its configuration. */
const NOT_SET_UP = { title: 'The pane is not set up', message: 'Ask your administrator to check the PM agent pane’s configuration.' };

/** The person pressed Cancel while waiting: nothing is wrong with them or the service, as far as we know. */
export const STOPPED_WAITING = {
  triage: { title: 'You stopped waiting for the triage', message: 'Nothing was changed. Press Try again to triage this email again.' },
  decision: { title: 'You stopped waiting', message: 'Your decision may or may not have reached the PM agent service. Try again sends the same decision once more; it is never recorded twice.' },
} as const satisfies Record<string, { title: string; message: string }>;

const UNKNOWN = { title: 'Something went wrong in the pane', message: 'Close and reopen the pane, then try again.' };

/** Backend failures take their words from the table both panels share, by the client's `kind`. */
function wordsFor(e: unknown): { title: string; message: string } {
  if (e instanceof ConfigError) return NOT_SET_UP;
  if (e instanceof BackendError) {
    const { title, message } = describeBackendFailure(e, { audience: 'outlook' });
    return { title, message };
  }
  return UNKNOWN;
}

export function describeError(e: unknown): ErrorView {
  const match = wordsFor(e);
  const detail = e instanceof Error ? e.message : String(e);
  return { ...match, ...(detail ? { detail } : {}) };
}
