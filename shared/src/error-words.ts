import { errorCase, type ErrorCase, type FailureFacts } from './error-case';

/**
 * One table of words for a failed backend call, for both panels: a title saying what went wrong
 * and a message saying what to do. Where the remedy differs by panel (sign out of Outlook and in
 * again; ask a Jira admin to check the connection), the entry holds one sentence per audience.
 * No HTTP codes, request ids, ARNs or option names here: the client's technical message is the
 * panel's "Details".
 *
 * Placeholders: `{service}` / `{Service}` name the service as the panel calls it, `{at}` adds where
 * it is (" at host", when the panel knows the host), `{said}` is the backend's own sentence.
 */
export type Audience = 'outlook' | 'jira';

/** One sentence for both panels, or one per panel. */
export type Words = string | Readonly<Record<Audience, string>>;

export interface ErrorWords {
  title: Words;
  message: Words;
  /** Used instead of `message` when the backend sent a sentence of its own that reads as words. */
  withBackendWords?: Words;
}

/** How each panel names the service. */
export const SERVICE_NAME: Readonly<Record<Audience, string>> = {
  outlook: 'the PM agent service',
  jira: 'the PM agent backend',
};

const TELL_ADMIN = 'tell your administrator';
const ASK_JIRA_ADMIN = 'ask a Jira admin to check the connection on the PM agent admin page (Jira settings → Apps)';

/** Every case has words: a new `BackendErrorKind` does not compile until it has a row here. */
export const ERROR_WORDS: Readonly<Record<ErrorCase, ErrorWords>> = {
  network: {
    title: 'Cannot reach {service}',
    message: {
      outlook: `{Service} is not answering. Check your connection and try again in a minute; if it keeps failing, ${TELL_ADMIN}.`,
      jira: `{Service}{at} is not answering. Try again in a minute; if it keeps failing, ${ASK_JIRA_ADMIN}.`,
    },
  },
  timeout: {
    title: '{Service} took too long',
    message: {
      outlook: 'It did not answer in time. It may be busy: try again in a minute.',
      jira: `{Service}{at} did not answer in time. Try again in a minute; if it keeps failing, ${ASK_JIRA_ADMIN}.`,
    },
  },
  aborted: {
    title: 'The request was stopped',
    message: 'The request to {service} was stopped before it finished. Try again.',
  },
  invalid_request: {
    title: 'That cannot be sent as it is',
    message: {
      outlook: 'The pane could not build a valid request from this, so nothing was sent. Triage the email again and try again.',
      jira: 'The app could not build a valid request from this, so nothing was sent. Refresh the page and try again.',
    },
  },
  credentials: {
    title: { outlook: 'Could not sign you in to the PM agent', jira: 'The app has no usable key for {service}' },
    message: {
      outlook: `Outlook could not sign you in to {service}. Sign out of Outlook and in again; if it keeps failing, ${TELL_ADMIN}.`,
      jira: 'The app has no usable backend key. A Jira admin should enter the access key and secret on the admin page.',
    },
  },
  auth: {
    title: { outlook: '{Service} did not accept your sign-in', jira: '{Service} does not accept this app’s key' },
    message: {
      outlook: `Sign out of Outlook and in again; if it keeps failing, ${TELL_ADMIN}.`,
      jira: '{Service} did not accept this installation’s key. A Jira admin should re-enter the access key, secret and region on the admin page.',
    },
  },
  forbidden: {
    title: 'You may not do this',
    message: {
      outlook: '{Service} refused this for your account. If you should be an approver, ask a Jira admin to add you.',
      jira: '{Service} refused to show this to you. If you should be an approver, ask a Jira admin to add you on the app’s admin page.',
    },
    withBackendWords: '{said}',
  },
  bad_request: {
    title: '{Service} could not accept this',
    message: {
      outlook: `{Service} refused the request as it stands. Try again; if it keeps failing, ${TELL_ADMIN}.`,
      jira: `{Service} refused the request as invalid. Refresh the page and try again; if it keeps failing, ${ASK_JIRA_ADMIN}.`,
    },
    withBackendWords: '{Service} refused the request as invalid: {said}',
  },
  not_found: {
    title: 'Not found',
    message: {
      outlook: '{Service} does not know this any more. Triage the email again.',
      jira: '{Service} does not know this suggestion any more. Refresh the panel.',
    },
  },
  conflict: {
    title: 'This suggestion changed',
    message: {
      outlook: 'Someone changed or decided it since you looked. The card shows it as it is now.',
      jira: 'This suggestion changed or was decided since you loaded it. Look at it again and decide again.',
    },
    withBackendWords: '{said}',
  },
  payload_too_large: {
    title: { outlook: 'This email is too large to triage', jira: 'This is too large to send' },
    message: {
      outlook: 'Its text is over the size {service} accepts.',
      jira: 'It is over the size {service} accepts. Shorten the text and try again.',
    },
  },
  unprocessable: {
    title: '{Service} cannot do this',
    message: '{Service} cannot do this with the current settings.',
    withBackendWords: '{Service} cannot do this: {said}',
  },
  rate_limited: {
    title: '{Service} is busy',
    message: 'Wait a moment and try again.',
  },
  server: {
    title: '{Service} failed',
    message: {
      outlook: `{Service} failed while handling this. Try again later; if it keeps failing, ${TELL_ADMIN}.`,
      jira: `{Service}{at} failed while handling this. Try again later; if it keeps failing, ${ASK_JIRA_ADMIN}.`,
    },
  },
  invalid_response: {
    title: { outlook: '{Service} answered in a way the pane does not understand', jira: '{Service} answered in a way this app does not understand' },
    message: {
      outlook: `The pane and the service may be different versions. ${capitalise(TELL_ADMIN)}.`,
      jira: '{Service}{at} answered in a way this app does not understand; the app and the backend may be different versions.',
    },
  },
  unexpected_status: {
    title: '{Service} could not handle this',
    message: {
      outlook: `{Service} could not handle this request. Try again; if it keeps failing, ${TELL_ADMIN}.`,
      jira: `{Service}{at} could not handle this request. Try again; if it keeps failing, ${ASK_JIRA_ADMIN}.`,
    },
  },
};

/**
 * What a backend sentence may not carry to be shown as the message: codes, ids and names meant for
 * support. A sentence with any of these stays in Details only.
 */
const NOT_WORDS: readonly RegExp[] = [
  /\bHTTP\s*\d{3}\b/i,
  /\brequest[ -]?id\b/i,
  /\barn:aws/i,
  /timeoutMs/i,
  /x-amzn/i,
  /\b\d{12}\b/, // an AWS account id
  /\b[0-9a-f]{24}\b/i, // a Jira account id (older form)
  /\b\d{6}:[0-9a-f-]{36}\b/i, // a Jira account id (site-scoped form)
];

/** The backend's own sentence, as one sentence, when it sent one that reads as words. */
export function backendSentence(serverMessage: string | undefined): string | undefined {
  const said = serverMessage?.trim().replace(/[.\s]+$/, '');
  if (!said || NOT_WORDS.some((re) => re.test(said))) return undefined;
  return `${said}.`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function wordsFor(words: Words, audience: Audience): string {
  return typeof words === 'string' ? words : words[audience];
}

/** Where the panel is: its name for the service, and the host when it knows it. */
export interface Place {
  audience: Audience;
  host?: string | undefined;
}

function fill(template: string, place: Place, said: string | undefined): string {
  const service = SERVICE_NAME[place.audience];
  const values: Record<string, string> = { service, Service: capitalise(service), at: place.host ? ` at ${place.host}` : '', said: said ?? '' };
  return template.replace(/\{(service|Service|at|said)\}/g, (_m, name: string) => values[name]!);
}

export interface ShownError {
  /** The table's row this failure read as. */
  case: ErrorCase;
  title: string;
  message: string;
}

/** A failed backend call in the words the table holds for this panel. */
export function describeBackendFailure(e: FailureFacts, place: Place): ShownError {
  const which = errorCase(e);
  const row = ERROR_WORDS[which];
  const said = row.withBackendWords ? backendSentence(e.serverMessage) : undefined;
  const message = said && row.withBackendWords ? row.withBackendWords : row.message;
  return { case: which, title: fill(wordsFor(row.title, place.audience), { audience: place.audience }, undefined), message: fill(wordsFor(message, place.audience), place, said) };
}
