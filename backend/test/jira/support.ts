import { JiraClient, type JiraClientOptions } from '../../src/stages/execute/jira/jira-client';
import { startJiraDouble, type JiraDouble, type JiraDoubleOptions } from '@pm-agent/dev-stack/jira-double';

export const EMAIL = 'pm-agent@example.com';
export const TOKEN = 'ATATT3xFfGF0-test-token-do-not-leak-7f3a';

const started: JiraDouble[] = [];

/** A Jira double on a free loopback port; every one is closed by `stopAllDoubles` (afterAll). */
export async function startDouble(options: Partial<JiraDoubleOptions> = {}): Promise<JiraDouble> {
  const double = await startJiraDouble({ port: 0, host: '127.0.0.1', email: EMAIL, apiToken: TOKEN, ...options });
  started.push(double);
  return double;
}

export async function stopAllDoubles(): Promise<void> {
  await Promise.all(started.splice(0).map((d) => d.close()));
}

export function clientFor(double: JiraDouble, options: Partial<JiraClientOptions> = {}): JiraClient {
  return new JiraClient({ baseUrl: double.url, email: EMAIL, apiToken: TOKEN, timeoutMs: 5_000, ...options });
}

/** A raw request to the double with the right credentials unless told otherwise. */
export function raw(double: JiraDouble, path: string, init: RequestInit & { auth?: string | null } = {}): Promise<Response> {
  const { auth = `${EMAIL}:${TOKEN}`, headers, ...rest } = init;
  const h = new Headers(headers);
  if (auth !== null) h.set('authorization', `Basic ${Buffer.from(auth).toString('base64')}`);
  if (rest.body !== undefined && !h.has('content-type')) h.set('content-type', 'application/json');
  return fetch(double.url + path, { ...rest, headers: h });
}
