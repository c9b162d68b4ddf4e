import { invoke } from '@forge/bridge';
import type { PayloadOf, ResolverName, ResultOf } from '../common/contract';

/**
 * The pages' only way to the backend: their resolvers, through Forge's `invoke`. A failed invoke
 * (the function crashed, the page lost its connection) becomes an answer in words like any other.
 */
export async function call<N extends ResolverName>(name: N, payload: PayloadOf<N>): Promise<ResultOf<N>> {
  try {
    return await invoke<PayloadOf<N>, ResultOf<N>>(name, payload);
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
