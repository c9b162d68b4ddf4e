import { z } from 'zod';
import { createBackendClient, staticCredentials, type BackendClient } from '@pm-agent/backend-client';
import type { ConnectionView } from '../common/contract';
import { STORAGE_KEYS, type ResolverPorts } from './ports';

/**
 * The installation's backend connection: endpoint and region in plain config, the key pair in
 * secret storage. The key pair goes in and is used for signing; it never comes out of here.
 */

const StoredConnection = z.object({
  endpoint: z.string().nullable(),
  region: z.string().nullable(),
  credentialsChangedAt: z.string().nullable(),
});
type StoredConnection = z.infer<typeof StoredConnection>;

const EMPTY: StoredConnection = { endpoint: null, region: null, credentialsChangedAt: null };

/** Forge allows 25 s per resolver call: at most two tries of 5 s each, with one short backoff. */
const CLIENT_LIMITS = { timeoutMs: 5_000, maxRetries: 1, backoff: { initialDelayMs: 300, maxDelayMs: 1_000 } };
const USER_AGENT = 'pm-agent-forge-app/0.1.0';

export class NotConfiguredError extends Error {
  override name = 'NotConfiguredError';
}

async function stored(ports: ResolverPorts): Promise<StoredConnection> {
  const parsed = StoredConnection.safeParse(await ports.config.get(STORAGE_KEYS.connection));
  return parsed.success ? parsed.data : EMPTY;
}

export async function connectionView(ports: ResolverPorts): Promise<ConnectionView> {
  const s = await stored(ports);
  const [keyId, secret] = await Promise.all([ports.secrets.get(STORAGE_KEYS.accessKeyId), ports.secrets.get(STORAGE_KEYS.secretAccessKey)]);
  return {
    endpoint: s.endpoint,
    region: s.region,
    credentials: { set: Boolean(keyId && secret), lastChangedAt: keyId && secret ? s.credentialsChangedAt : null },
  };
}

export async function saveConnection(
  ports: ResolverPorts,
  input: { endpoint: string; region: string; accessKeyId?: string | undefined; secretAccessKey?: string | undefined },
): Promise<{ credentialsChanged: boolean }> {
  const current = await stored(ports);
  const { accessKeyId, secretAccessKey } = input;
  const credentialsChanged = accessKeyId !== undefined && secretAccessKey !== undefined;
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    await ports.secrets.set(STORAGE_KEYS.accessKeyId, accessKeyId);
    await ports.secrets.set(STORAGE_KEYS.secretAccessKey, secretAccessKey);
  }
  await ports.config.set(STORAGE_KEYS.connection, {
    endpoint: input.endpoint,
    region: input.region,
    credentialsChangedAt: credentialsChanged ? ports.now().toISOString() : current.credentialsChangedAt,
  } satisfies StoredConnection);
  return { credentialsChanged };
}

/** The backend's host, for messages ("the backend at abc.execute-api…"), or undefined when unset. */
export async function backendHost(ports: ResolverPorts): Promise<string | undefined> {
  const { endpoint } = await stored(ports);
  return endpoint && URL.canParse(endpoint) ? new URL(endpoint).host : undefined;
}

export async function endpointOrThrow(ports: ResolverPorts): Promise<string> {
  const { endpoint } = await stored(ports);
  if (!endpoint) throw new NotConfiguredError('no endpoint');
  return endpoint;
}

/**
 * A client signing as this installation's Forge principal, for one person: the verified Jira
 * accountId and site go out as signed headers, and `admin` only for admin-page calls by a Jira admin.
 */
export async function clientFor(ports: ResolverPorts, identity: { accountId: string; site: string; admin: boolean }): Promise<BackendClient> {
  const s = await stored(ports);
  const [accessKeyId, secretAccessKey] = await Promise.all([ports.secrets.get(STORAGE_KEYS.accessKeyId), ports.secrets.get(STORAGE_KEYS.secretAccessKey)]);
  if (!s.endpoint || !s.region) throw new NotConfiguredError('no endpoint or region');
  if (!accessKeyId || !secretAccessKey) throw new NotConfiguredError('no key pair');
  return createBackendClient({
    endpoint: s.endpoint,
    region: s.region,
    credentials: staticCredentials({ accessKeyId, secretAccessKey }),
    identity: { accountId: identity.accountId, site: identity.site, role: identity.admin ? 'admin' : undefined },
    fetch: ports.fetch,
    userAgent: USER_AGENT,
    ...CLIENT_LIMITS,
  });
}
