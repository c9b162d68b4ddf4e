import {
  AuthError,
  BackendError,
  BadRequestError,
  ConflictError,
  CredentialsError,
  InvalidRequestError,
  InvalidResponseError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  UnprocessableError,
} from '@pm-agent/backend-client';
import type { ResolverError } from '../common/contract';
import { NotConfiguredError } from './connection';

/**
 * Every failure a resolver can meet, as words for the person at the page: what happened and what
 * to do. The client's own message (already free of secrets) goes in `detail` for support.
 */

/** What the call was for: a 403 means different things on the panel and on the admin page. */
export type Purpose = 'read' | 'decide' | 'admin' | 'test';

interface FailureContext {
  purpose: Purpose;
  /** The backend's host, when configured. */
  host: string | undefined;
}

const ASK_ADMIN = "ask a Jira admin to check the connection on the PM agent admin page (Jira settings → Apps)";

/** The backend's own words (the client's structured `serverMessage`), as one sentence, when it sent any. */
export function backendSaid(error: BackendError): string | undefined {
  const said = error.serverMessage?.trim().replace(/[.\s]+$/, '');
  return said ? `${said}.` : undefined;
}

function at(ctx: FailureContext): string {
  return ctx.host ? `The PM agent backend at ${ctx.host}` : 'The PM agent backend';
}

type Rule = { matches: (e: unknown) => boolean; describe: (e: BackendError, ctx: FailureContext) => Omit<ResolverError, 'detail'> };

const is =
  (...classes: Array<abstract new (...args: never[]) => Error>) =>
  (e: unknown) =>
    classes.some((c) => e instanceof c);

const forbiddenBy: Record<Purpose, (said: string | undefined) => Omit<ResolverError, 'detail'>> = {
  decide: () => ({
    kind: 'not_approver',
    message: 'You can see these suggestions but you are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.',
  }),
  admin: (said) => ({ kind: 'not_allowed', message: said ?? 'The backend accepts this only from a Jira admin on the PM agent admin page.' }),
  read: (said) => ({ kind: 'not_allowed', message: said ?? 'The backend refused to show this to you.' }),
  test: (said) => ({ kind: 'auth', message: `The backend accepted the key but refused this call: ${said ?? 'not allowed.'}` }),
};

/** First match wins; the order runs from the most specific class to the most general. */
const RULES: Rule[] = [
  {
    matches: is(NetworkError),
    describe: (_e, ctx) => ({ kind: 'unreachable', message: `${at(ctx)} is not answering. Try again in a minute; if it keeps failing, ${ASK_ADMIN}.` }),
  },
  {
    matches: is(TimeoutError),
    describe: (_e, ctx) => ({ kind: 'unreachable', message: `${at(ctx)} did not answer in time. Try again in a minute; if it keeps failing, ${ASK_ADMIN}.` }),
  },
  {
    matches: (e) => e instanceof AuthError && e.awsErrorType !== undefined,
    describe: (e) => ({
      kind: 'auth',
      message: `The PM agent backend did not accept this installation’s key (${(e as AuthError).awsErrorType}). A Jira admin should re-enter the access key, secret and region on the admin page.`,
    }),
  },
  { matches: is(AuthError), describe: (e, ctx) => forbiddenBy[ctx.purpose](backendSaid(e)) },
  {
    matches: is(CredentialsError),
    describe: () => ({ kind: 'auth', message: 'The app has no usable backend key. A Jira admin should enter the access key and secret on the admin page.' }),
  },
  {
    matches: (e) => e instanceof ConflictError && e.currentSettings !== undefined,
    describe: (e) => {
      const currentSettings = (e as ConflictError).currentSettings!;
      return {
        kind: 'conflict',
        message: `Someone changed the settings since you loaded this page (now version ${currentSettings.version}), so yours were not saved. The page now shows the current settings: make your change again.`,
        currentSettings,
      };
    },
  },
  {
    matches: is(ConflictError),
    describe: (e) => ({
      kind: 'conflict',
      message: backendSaid(e) ?? 'This suggestion changed or was decided since you loaded it. Look at it again and decide again.',
      ...((e as ConflictError).current ? { current: (e as ConflictError).current } : {}),
    }),
  },
  {
    matches: is(UnprocessableError),
    describe: (e) => ({ kind: 'unprocessable', message: `The PM agent backend cannot do this: ${backendSaid(e) ?? 'it refused the request as it stands.'}` }),
  },
  {
    matches: is(BadRequestError, InvalidRequestError),
    describe: (e) => ({
      kind: 'invalid_request',
      message: `The PM agent backend refused the request as invalid: ${backendSaid(e) ?? 'see the details.'}`,
      ...(e instanceof BadRequestError && e.issues.length ? { issues: e.issues } : {}),
    }),
  },
  {
    matches: is(NotFoundError),
    describe: () => ({ kind: 'not_found', message: 'The backend does not know this suggestion any more. Refresh the panel.' }),
  },
  { matches: is(RateLimitError), describe: () => ({ kind: 'busy', message: 'The PM agent backend is busy. Wait a moment and try again.' }) },
  {
    matches: is(ServerError),
    describe: (_e, ctx) => ({ kind: 'backend_error', message: `${at(ctx)} failed while handling this. Try again later; if it keeps failing, ${ASK_ADMIN}.` }),
  },
  {
    matches: is(InvalidResponseError),
    describe: (_e, ctx) => ({ kind: 'backend_error', message: `${at(ctx)} answered in a way this app does not understand; the app and the backend may be different versions.` }),
  },
  { matches: is(BackendError), describe: (_e, ctx) => ({ kind: 'backend_error', message: `${at(ctx)} could not handle this request.` }) },
];

export const NOT_CONFIGURED: ResolverError = {
  kind: 'not_configured',
  message: 'The PM agent app is not connected to its backend yet. A Jira admin can enter the endpoint and key on the PM agent admin page (Jira settings → Apps).',
};

/** The failure in words, or undefined when it is not one the resolvers know (a bug: reported as internal). */
export function describeFailure(error: unknown, ctx: FailureContext): ResolverError | undefined {
  if (error instanceof NotConfiguredError) return NOT_CONFIGURED;
  if (!(error instanceof BackendError)) return undefined;
  const rule = RULES.find((r) => r.matches(error));
  return rule ? { ...rule.describe(error, ctx), detail: error.message } : undefined;
}

export const INTERNAL: ResolverError = {
  kind: 'internal',
  message: 'The PM agent app failed unexpectedly. Try again; if it keeps failing, tell your Jira admin the time it happened.',
};
