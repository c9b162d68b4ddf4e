import { createBackendClient, webIdentityCredentials, type BackendClient, type BackendClientOptions } from '@pm-agent/backend-client';
import { IDENTITY_HEADERS, outlookSessionName } from '@pm-agent/shared';
import { DEV_SIGN_IN_HEADER, LOCAL } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';

/** A local backend as tests know it: its URL, and the sign-in secret the local host would hold. */
export type LocalTarget = { url: string; files: { devSignInSecret: string } };

/** A dev issuer token, asked for as the local host does (with its sign-in secret). */
export async function devToken(target: LocalTarget, who: { sub: string; name: string; email: string } = { sub: 'pat', name: LOCAL_USER.name, email: LOCAL_USER.email }): Promise<string> {
  const res = await fetch(`${target.url}/v1/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json', [DEV_SIGN_IN_HEADER]: target.files.devSignInSecret }, body: JSON.stringify(who) });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The Outlook path as the task pane will take it: dev token → local STS → signed client. */
export function outlookClient(
  target: LocalTarget,
  who: { sub: string; name: string; email: string } = { sub: 'pat', name: LOCAL_USER.name, email: LOCAL_USER.email },
  extra: Partial<Pick<BackendClientOptions, 'fetch' | 'maxRetries' | 'backoff'>> = {},
): BackendClient {
  const baseUrl = target.url;
  const getToken = () => devToken(target, who);
  return createBackendClient({
    endpoint: baseUrl,
    region: LOCAL.region,
    timeoutMs: 60_000,
    maxRetries: 0,
    credentials: webIdentityCredentials({ stsEndpoint: `${baseUrl}/v1/sts`, roleArn: LOCAL.outlookRoleArn, getToken }),
    ...extra,
  });
}

/**
 * Raw temporary credentials for the outlook principal, for tests that must send bytes the client
 * never would. Every call carries (and signs) the identity token, as the client does.
 */
export async function outlookAwsClient(target: LocalTarget): Promise<Pick<import('aws4fetch').AwsClient, 'fetch'>> {
  const { AwsClient } = await import('aws4fetch');
  const baseUrl = target.url;
  const token = { access_token: await devToken(target) };
  const form = new URLSearchParams({ Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: LOCAL.outlookRoleArn, RoleSessionName: outlookSessionName('pat'), WebIdentityToken: token.access_token });
  const xml = await (await fetch(`${baseUrl}/v1/sts`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).text();
  const tag = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)![1]!;
  const client = new AwsClient({ accessKeyId: tag('AccessKeyId'), secretAccessKey: tag('SecretAccessKey'), sessionToken: tag('SessionToken'), region: LOCAL.region, service: 'execute-api', retries: 0 });
  return {
    fetch: (input, given) => {
      const init = given ?? {};
      const headers = new Headers(init.headers);
      headers.set(IDENTITY_HEADERS.identityToken, token.access_token);
      return client.fetch(input, { ...init, headers, aws: { allHeaders: true, ...(init as { aws?: object }).aws } } as RequestInit);
    },
  };
}
