import { createBackendClient, webIdentityCredentials, type BackendClient } from '@pm-agent/backend-client';
import { LOCAL } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';

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

/** Raw temporary credentials for the outlook principal, for tests that must send bytes the client never would. */
export async function outlookAwsClient(baseUrl: string): Promise<import('aws4fetch').AwsClient> {
  const { AwsClient } = await import('aws4fetch');
  const token = await (await fetch(`${baseUrl}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'pat', name: LOCAL_USER.name, email: LOCAL_USER.email }) })).json() as { access_token: string };
  const form = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: 'outlook-raw', WebIdentityToken: token.access_token });
  const xml = await (await fetch(`${baseUrl}/v1/sts`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).text();
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)![1]!;
  return new AwsClient({ accessKeyId: tag('AccessKeyId'), secretAccessKey: tag('SecretAccessKey'), sessionToken: tag('SessionToken'), region: LOCAL.region, service: 'execute-api', retries: 0 });
}
