import * as z from 'zod';
import { describeIssues } from '@pm-agent/shared';

/**
 * The pane's runtime configuration: `config.json` next to the page, so one build serves every
 * deployment. Two ways to sign in:
 * - `msal`: Entra ID through MSAL nested app authentication (production);
 * - `dev`: the local stack's dev identity provider, which issues a token for whoever is named. It
 *   proves nothing, so it is only accepted for loopback endpoints.
 * Both end the same way: the token is exchanged at STS AssumeRoleWithWebIdentity for short-lived
 * credentials that sign every call.
 */
const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const RoleArn = z.string().check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'must be an IAM role ARN (arn:aws:iam::123456789012:role/…)'));
const Region = z.string().check(z.regex(/^[a-z0-9-]{2,32}$/, 'must be a region name such as eu-west-1'));

const DevAuthSchema = z.strictObject({
  mode: z.literal('dev'),
  tokenEndpoint: HttpUrl,
  stsEndpoint: HttpUrl,
  roleArn: RoleArn,
});

const MsalAuthSchema = z.strictObject({
  mode: z.literal('msal'),
  /** The add-in's Entra app registration (application id). */
  clientId: z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an application (client) id, a GUID')),
  authority: HttpUrl,
  /** The backend API's scope, e.g. api://pm-agent.example.com/<client id>/access_as_user. */
  scopes: z.array(z.string().check(z.minLength(1), z.maxLength(300))).check(z.minLength(1, 'needs the backend API scope'), z.maxLength(10)),
  /** Where the popup fallback lands (auth-redirect.html); defaults to that page next to the pane. */
  redirectUri: z.optional(HttpUrl),
  stsEndpoint: HttpUrl,
  roleArn: RoleArn,
});

export const PaneConfigSchema = z
  .strictObject({
    /** The backend API base URL. */
    endpoint: HttpUrl,
    region: Region,
    auth: z.discriminatedUnion('mode', [DevAuthSchema, MsalAuthSchema]),
    /** Jira site for issue links, e.g. https://your-site.atlassian.net/browse. Without it, keys show as text. */
    jiraBrowseUrl: z.optional(HttpUrl),
    /** How often the pane refreshes what it shows (ms); default LIVE_REFRESH_MS (10 s). The local host shortens it for tests. */
    liveRefreshMs: z.optional(z.number().check(z.int(), z.gte(100), z.lte(600_000))),
  })
  .check(z.superRefine((cfg, ctx) => {
    const urls: Array<[string[], string]> = [[['endpoint'], cfg.endpoint], [['auth', 'stsEndpoint'], cfg.auth.stsEndpoint]];
    if (cfg.auth.mode === 'dev') {
      urls.push([['auth', 'tokenEndpoint'], cfg.auth.tokenEndpoint]);
      for (const [path, url] of urls) {
        if (!isLoopback(url)) ctx.addIssue({ code: 'custom', path, message: 'dev sign-in is for the local stack only: this URL must be on 127.0.0.1 or localhost' });
      }
    } else {
      for (const [path, url] of urls) {
        if (!url.startsWith('https://')) ctx.addIssue({ code: 'custom', path, message: 'must be an https URL' });
      }
    }
  }));

export type PaneConfig = z.infer<typeof PaneConfigSchema>;
export type DevAuth = z.infer<typeof DevAuthSchema>;
export type MsalAuth = z.infer<typeof MsalAuthSchema>;

export function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Checks an already-parsed config; every problem is named by its path. */
export function parseConfig(value: unknown): PaneConfig {
  const parsed = PaneConfigSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error)
    .slice(0, 4)
    .map((i) => `${i.path} ${i.message}`)
    .join('; ');
  throw new ConfigError(`config.json is not usable: ${problems}. Ask whoever deployed the add-in to fix it.`);
}

export type FetchText = (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

/** Fetches and checks config.json (relative to the page). */
export async function loadConfig(url = './config.json', fetchText: FetchText = (u) => globalThis.fetch(u, { cache: 'no-store', credentials: 'same-origin' })): Promise<PaneConfig> {
  let res;
  try {
    res = await fetchText(url);
  } catch (e) {
    throw new ConfigError(`Could not load the pane's configuration (${(e as Error).message}). Check the connection and reopen the pane.`);
  }
  if (!res.ok) throw new ConfigError(`Could not load the pane's configuration: config.json answered HTTP ${res.status}. Ask whoever deployed the add-in.`);
  let value: unknown;
  try {
    value = JSON.parse(await res.text());
  } catch {
    throw new ConfigError('config.json is not valid JSON. Ask whoever deployed the add-in to fix it.');
  }
  return parseConfig(value);
}
