import { invoke } from '@forge/bridge';
import { answerSchema, type PayloadOf, type ResolverError, type ResolverName, type ResultOf } from '../common/contract';

/**
 * The page stops waiting (Forge's invoke itself cannot be aborted: a late answer is dropped). The
 * resolver's own wait on the backend is bounded (5 s, one retry), so the call ends either way.
 */
export const CANCELLED: Record<'read' | 'decide' | 'decideInInbox' | 'change' | 'check', ResolverError> = {
  read: { kind: 'cancelled', message: 'The page stopped waiting for the PM agent. Press Try again to load it again.' },
  decide: {
    kind: 'cancelled',
    message: 'The page stopped waiting. Your decision may or may not have reached the PM agent: press Refresh to see the suggestion as it is now before deciding again.',
  },
  decideInInbox: {
    kind: 'cancelled',
    message: 'The page stopped waiting. Your decision may or may not have reached the PM agent: the list below refreshes itself within seconds, so look at it again before deciding again.',
  },
  change: {
    kind: 'cancelled',
    message: 'The page stopped waiting. Your change may or may not have been saved: reload the page to see the settings as they are stored now before changing them again.',
  },
  check: { kind: 'cancelled', message: 'The page stopped waiting for the test. Nothing was changed. Press Test connection to try again.' },
};

/**
 * An answer is shown only in the shape its schema names (contract.ts): anything else (a resolver
 * bug, an app version the page does not match) is a failure in words, with the mismatch in Details.
 */
function checked<N extends ResolverName>(name: N, answer: unknown): ResultOf<N> {
  const parsed = answerSchema(name).safeParse(answer);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    error: {
      kind: 'internal',
      message: 'The app answered in a way this page does not understand, so nothing of it is shown. Reload the page; if it keeps happening, tell your Jira admin the time it happened.',
      detail: `${name}: ${issue ? `${issue.path.join('.') || 'the answer'}: ${issue.message}` : 'unexpected answer'}`,
    },
  };
}

/**
 * The pages' only way to the backend: their resolvers, through Forge's `invoke`. A failed invoke
 * (the function crashed, the page lost its connection) becomes an answer in words like any other.
 */
export async function call<N extends ResolverName>(name: N, payload: PayloadOf<N>, cancel?: { signal: AbortSignal; error: ResolverError }): Promise<ResultOf<N>> {
  try {
    const answer = invoke<PayloadOf<N>, unknown>(name, payload).then((a) => checked(name, a));
    if (!cancel) return await answer;
    const { signal, error } = cancel;
    const stopped = new Promise<ResultOf<N>>((resolve) => {
      const stop = () => resolve({ ok: false, error } as ResultOf<N>);
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
    });
    answer.catch(() => undefined); // a late failure after Cancel is nobody's to report
    return await Promise.race([answer, stopped]);
  } catch (error) {
    return {
      ok: false,
      error: {
        kind: 'internal',
        message: 'The page could not get an answer from the app. Reload the page and try again.',
        detail: error instanceof Error ? error.message : String(error),
      },
    };
  }
}
