import { createBackendClient, webIdentityCredentials, type BackendClient } from '@pm-agent/backend-client';
import { DEV_SIGN_IN_HEADER, LOCAL, LOCAL_USER, type LocalBackend } from '@pm-agent/dev-stack';

/**
 * A signed client as the Outlook pane has one: a token from the local dev issuer (which answers only
 * callers holding the stack's sign-in secret), exchanged at the local STS for the Outlook role.
 */
export function outlookBenchClient(backend: LocalBackend): BackendClient {
  const url = backend.url;
  const getToken = async () => {
    const res = await fetch(`${url}/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [DEV_SIGN_IN_HEADER]: backend.files.devSignInSecret },
      body: JSON.stringify({ sub: 'bench', name: LOCAL_USER.name, email: LOCAL_USER.email }),
    });
    if (!res.ok) throw new Error(`the local dev issuer refused the bench's sign-in (${res.status})`);
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return createBackendClient({
    endpoint: url,
    region: LOCAL.region,
    maxRetries: 0,
    timeoutMs: 60_000,
    credentials: webIdentityCredentials({ stsEndpoint: `${url}/v1/sts`, roleArn: LOCAL.outlookRoleArn, getToken }),
  });
}

/** One bench caller triages many emails: the product's per-caller triage rate would refuse most of them. */
export const BENCH_TRIAGE_RATE = { PM_AGENT_TRIAGE_BURST: '1000', PM_AGENT_TRIAGE_PER_MINUTE: '10000' } as const;
