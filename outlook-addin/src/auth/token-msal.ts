import { createNestablePublicClientApplication, type Configuration, type IPublicClientApplication } from '@azure/msal-browser';
import type { MsalAuth } from './config';

/**
 * Entra ID sign-in with MSAL nested app authentication: inside Outlook the host brokers the token
 * (single sign-on, no popup); where NAA is not available MSAL falls back to a standard public
 * client. This module is loaded with dynamic import() only in msal mode, so the ~80 KB of MSAL is a
 * separate chunk the local stack never downloads.
 *
 * The token is an access token for the backend API's scope; STS AssumeRoleWithWebIdentity trusts
 * its issuer and audience. Tokens stay in MSAL's memory cache: nothing long-lived is written to
 * the browser's storage.
 */
export type CreateClient = (configuration: Configuration) => Promise<IPublicClientApplication>;

export function msalConfiguration(auth: MsalAuth, pageUrl: string): Configuration {
  return {
    auth: {
      clientId: auth.clientId,
      authority: auth.authority,
      redirectUri: auth.redirectUri ?? new URL('auth-redirect.html', pageUrl).href,
    },
    cache: { cacheLocation: 'memoryStorage' },
  };
}

export async function msalTokenSource(auth: MsalAuth, pageUrl: string, create: CreateClient = createNestablePublicClientApplication): Promise<() => Promise<string>> {
  const pca = await create(msalConfiguration(auth, pageUrl));
  return async () => {
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    const request = { scopes: auth.scopes, ...(account ? { account } : {}) };
    try {
      const silent = await pca.acquireTokenSilent(request);
      return silent.accessToken;
    } catch {
      // Consent or sign-in needed (or no cached account): ask interactively. Under NAA the host shows its own UI.
      const interactive = await pca.acquireTokenPopup({ scopes: auth.scopes });
      if (interactive.account) pca.setActiveAccount(interactive.account);
      return interactive.accessToken;
    }
  };
}
