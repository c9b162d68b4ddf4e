import { BackendError, BadRequestError, ConflictError } from '@pm-agent/backend-client';
import { backendSentence, describeBackendFailure, type ErrorCase } from '@pm-agent/shared';
import type { ErrorKind, ResolverError } from '../common/contract';
import { NotConfiguredError } from './connection';

/**
 * Every failure a resolver can meet, as words for the person at the page. The words come from the
 * one table both panels share (shared/src/error-words.ts), chosen by the client's `kind`; what is
 * Forge's own stays here: "not connected yet", what a refusal means on each page, and the data a
 * conflict or a refused request carries. The client's own message (already free of secrets) goes in
 * `detail` for support.
 */

/** What the call was for: a refusal means different things on the panel and on the admin page. */
export type Purpose = 'read' | 'decide' | 'admin' | 'test';

interface FailureContext {
  purpose: Purpose;
  /** The backend's host, when configured. */
  host: string | undefined;
}

type Described = Omit<ResolverError, 'detail'>;

/** The pages' kind (which picks the message's look) for each row of the shared table. */
const PAGE_KIND: Record<ErrorCase, ErrorKind> = {
  network: 'unreachable',
  timeout: 'unreachable',
  aborted: 'cancelled',
  invalid_request: 'invalid_request',
  credentials: 'auth',
  auth: 'auth',
  forbidden: 'not_allowed',
  bad_request: 'invalid_request',
  not_found: 'not_found',
  conflict: 'conflict',
  payload_too_large: 'invalid_request',
  unprocessable: 'unprocessable',
  rate_limited: 'busy',
  server: 'backend_error',
  invalid_response: 'backend_error',
  unexpected_status: 'backend_error',
};

/** A refusal on each page, where it differs from the shared words ("read" takes those as they are). */
const REFUSED_ON: Partial<Record<Purpose, (said: string | undefined) => Described>> = {
  decide: () => ({
    kind: 'not_approver',
    message: 'You can see these suggestions but you are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.',
  }),
  admin: (said) => ({ kind: 'not_allowed', message: said ?? 'The backend accepts this only from a Jira admin on the PM agent admin page.' }),
  test: (said) => ({ kind: 'auth', message: `The backend accepted the key but refused this call: ${said ?? 'not allowed.'}` }),
};

/** What a failure carries beyond words, for the page to show: the current state after a conflict, the fields a refusal names. */
function carried(error: BackendError): Partial<ResolverError> {
  if (error instanceof ConflictError) return error.currentSettings ? { currentSettings: error.currentSettings } : error.current ? { current: error.current } : {};
  if (error instanceof BadRequestError && error.issues.length) return { issues: error.issues };
  return {};
}

function describeBackend(error: BackendError, ctx: FailureContext): Described {
  const shown = describeBackendFailure(error, { audience: 'jira', host: ctx.host });
  const refused = shown.case === 'forbidden' ? REFUSED_ON[ctx.purpose] : undefined;
  if (refused) return refused(backendSentence(error.serverMessage));
  if (error instanceof ConflictError && error.currentSettings) {
    return {
      kind: 'conflict',
      message: `Someone changed the settings since you loaded this page (now version ${error.currentSettings.version}), so yours were not saved. The page now shows the current settings: make your change again.`,
      currentSettings: error.currentSettings,
    };
  }
  return { kind: PAGE_KIND[shown.case], title: shown.title, message: shown.message, ...carried(error) };
}

export const NOT_CONFIGURED: ResolverError = {
  kind: 'not_configured',
  message: 'The PM agent app is not connected to its backend yet. A Jira admin can enter the endpoint and key on the PM agent admin page (Jira settings → Apps).',
};

/** The failure in words, or undefined when it is not one the resolvers know (a bug: reported as internal). */
export function describeFailure(error: unknown, ctx: FailureContext): ResolverError | undefined {
  if (error instanceof NotConfiguredError) return NOT_CONFIGURED;
  if (!(error instanceof BackendError)) return undefined;
  return { ...describeBackend(error, ctx), detail: error.message };
}

export const INTERNAL: ResolverError = {
  kind: 'internal',
  message: 'The PM agent app failed unexpectedly. Try again; if it keeps failing, tell your Jira admin the time it happened.',
};
