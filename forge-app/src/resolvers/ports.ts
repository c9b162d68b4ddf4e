import type { FetchFn } from '@pm-agent/backend-client';

/**
 * Everything the resolvers need from the platform they run on. Forge provides it with @forge/kvs,
 * @forge/api and Jira's permission check (forge-ports.ts); the local host and the tests provide it
 * in memory (memory-ports.ts). The resolver code is the same in all three.
 */
export interface ResolverPorts {
  /** Write-only values: the backend key pair. Never returned by any resolver, never logged. */
  secrets: {
    get(key: string): Promise<string | undefined>;
    set(key: string, value: string): Promise<void>;
    delete(key: string): Promise<void>;
  };
  /** Non-secret settings of this installation (the backend endpoint and region, when the key changed). */
  config: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown): Promise<void>;
  };
  /** How the resolvers reach the backend (Forge: @forge/api fetch, limited by the manifest's egress list). */
  fetch: FetchFn;
  /** Whether this Jira user holds the Jira admin (ADMINISTER) global permission. */
  isJiraAdmin(accountId: string): Promise<boolean>;
  now(): Date;
  /** One line per resolver call. Never given a secret, a payload or a backend body. */
  log?(line: string): void;
  /**
   * Errors the platform itself must handle, passed through untouched (Forge: asking the user to
   * allow the app to act for them). Everything else becomes an answer in words.
   */
  isPlatformError?(error: unknown): boolean;
}

/** Keys under which the resolvers keep what they store. */
export const STORAGE_KEYS = {
  /** config: { endpoint, region, credentialsChangedAt } */
  connection: 'backend-connection',
  /** secrets */
  accessKeyId: 'backend-access-key-id',
  secretAccessKey: 'backend-secret-access-key',
} as const;
