import type { PaneConfig } from './config';
import { devTokenSource, type Profile } from './token-dev';

/**
 * The identity token for STS, by configured mode. MSAL is imported only in msal mode and only when
 * the first signed call needs a token, so opening the pane never waits for it.
 */
export function tokenSource(config: PaneConfig, profile: Profile, pageUrl: string): () => Promise<string> {
  const auth = config.auth;
  if (auth.mode === 'dev') return devTokenSource(auth, profile);
  let source: Promise<() => Promise<string>> | undefined;
  return async () => {
    source ??= import('./token-msal').then((m) => m.msalTokenSource(auth, pageUrl));
    try {
      return await (await source)();
    } catch (e) {
      source = undefined; // a failed MSAL start (e.g. offline) is retried on the next call
      throw e;
    }
  };
}
