import api, { fetch, isForgePlatformError, route } from '@forge/api';
import { kvs } from '@forge/kvs';
import { z } from 'zod';
import type { ResolverPorts } from './ports';

/**
 * The platform on Forge:
 * - secrets: @forge/kvs secret storage (encrypted, readable only by this app's functions);
 * - config: @forge/kvs key-value storage;
 * - fetch: @forge/api fetch, which Forge limits to the manifest's egress list (the backend host);
 * - isJiraAdmin: Jira's bulk permission check for the ADMINISTER global permission, asked as the
 *   user (asUser), so Jira answers about the verified person at the page. Needs read:jira-work.
 */
export function forgePorts(): ResolverPorts {
  return {
    secrets: {
      get: async (key) => {
        const value = await kvs.getSecret<unknown>(key);
        return typeof value === 'string' ? value : undefined;
      },
      set: (key, value) => kvs.setSecret(key, value),
      delete: (key) => kvs.deleteSecret(key),
    },
    config: {
      get: (key) => kvs.get<unknown>(key),
      set: (key, value) => kvs.set(key, value),
    },
    fetch: (url, init) => fetch(url, init),
    isJiraAdmin,
    now: () => new Date(),
    log: (line) => console.log(line),
    // Forge asks the user to allow the app to act for them when asUser() needs consent; that
    // request travels as an error the platform must see.
    isPlatformError: (error) => error instanceof Error && isForgePlatformError(error),
  };
}

const BulkPermissions = z.object({ globalPermissions: z.array(z.string()) });

/** POST /rest/api/3/permissions/check: "returns details for the logged in user" when asked as that user. */
export async function isJiraAdmin(accountId: string): Promise<boolean> {
  const res = await api.asUser().requestJira(route`/rest/api/3/permissions/check`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ accountId, globalPermissions: ['ADMINISTER'] }),
  });
  if (!res.ok) return false;
  const parsed = BulkPermissions.safeParse(await res.json());
  return parsed.success && parsed.data.globalPermissions.includes('ADMINISTER');
}
