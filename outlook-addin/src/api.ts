import { createBackendClient, webIdentityCredentials, type BackendClient } from '@pm-agent/backend-client';
import type { PaneConfig } from './auth/config';

/**
 * The backend client the pane signs with. Credentials come from STS AssumeRoleWithWebIdentity, live
 * only in this closure (never in storage), last an hour, and are renewed five minutes before they
 * expire by backend-client's provider.
 */
export const PANE_USER_AGENT = 'pm-agent-outlook-pane/0.1.0';

/** Triage can take a model call or two; everything else is quick. */
export const TRIAGE_TIMEOUT_MS = 90_000;
/** One retry at most: triage is keyed by message id (a repeat is safe), but a person is waiting. */
export const TRIAGE_RETRIES = 1;

export function createPaneClient(config: PaneConfig, getToken: () => Promise<string>): BackendClient {
  return createBackendClient({
    endpoint: config.endpoint,
    region: config.region,
    userAgent: PANE_USER_AGENT,
    credentials: webIdentityCredentials({
      stsEndpoint: config.auth.stsEndpoint,
      roleArn: config.auth.roleArn,
      // No session name of our choosing: the provider derives it from the token's subject, and the
      // backend takes the person from the token itself (sent signed with every call).
      getToken,
    }),
  });
}
