import { createBackendClient, webIdentityCredentials, type BackendClient } from '@pm-agent/backend-client';
import { LOCAL } from '../../src/local-stack/local-files';
import { LOCAL_USER } from '../../src/local-stack/seed';

/** The Outlook path as the task pane will take it: dev token → local STS → signed client. */
export function outlookClient(baseUrl: string, who: { sub: string; name: string; email: string } = { sub: 'pat', name: LOCAL_USER.name, email: LOCAL_USER.email }): BackendClient {
  const getToken = async () => {
    const res = await fetch(`${baseUrl}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(who) });
    return ((await res.json()) as { access_token: string }).access_token;
  };
  return createBackendClient({
    endpoint: baseUrl,
    region: LOCAL.region,
    timeoutMs: 60_000,
    maxRetries: 0,
    credentials: webIdentityCredentials({ stsEndpoint: `${baseUrl}/v1/sts`, roleArn: LOCAL.outlookRoleArn, roleSessionName: 'outlook-test', getToken }),
  });
}
