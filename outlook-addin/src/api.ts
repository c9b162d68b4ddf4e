import { createBackendClient, webIdentityCredentials, type BackendClient } from '@pm-agent/backend-client';
import type { PaneConfig } from './auth/config';

/**
 * The backend client the pane signs with. Credentials come from STS AssumeRoleWithWebIdentity, live
 * only in this closure (never in storage), last an hour, and are renewed five minutes before they
 * expire by backend-client's provider.
 */
export const PANE_USER_AGENT = 'pm-agent-outlook-pane/0.1.0';

/**
 * One bounded wait: a person is watching (and can cancel). Triage can take a model call or two,
 * which fits well inside this; a hung service is reported in words after it, with a retry button.
 */
export const TRIAGE_TIMEOUT_MS = 45_000;
/** No automatic retry on top: the wait stays one bounded wait; the person retries with one click. */
export const TRIAGE_RETRIES = 0;
/**
 * A decision is one small write: a bounded wait the person can cancel, no automatic retry. Retry
 * resends it under the same Idempotency-Key, so a decision that did arrive is not made twice.
 */
export const DECISION_TIMEOUT_MS = 20_000;

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
