import type { FetchFn } from '@pm-agent/backend-client';
import type { ResolverPorts } from '../resolvers/ports';

export interface MemoryPorts extends ResolverPorts {
  /** What was stored, for tests to inspect (a host may persist it). */
  readonly stored: { secrets: Map<string, string>; config: Map<string, unknown> };
  /** Lines passed to `log`. */
  readonly logs: string[];
}

/**
 * The platform in memory: for tests and for a host that runs the pages outside Jira. `admins`
 * names the Jira admins; `fetch` defaults to globalThis.fetch.
 */
export function createMemoryPorts(options: { admins?: readonly string[]; fetch?: FetchFn; now?: () => Date; echo?: (line: string) => void } = {}): MemoryPorts {
  const secrets = new Map<string, string>();
  const config = new Map<string, unknown>();
  const logs: string[] = [];
  const admins = new Set(options.admins ?? []);
  return {
    stored: { secrets, config },
    logs,
    secrets: {
      get: async (key) => secrets.get(key),
      set: async (key, value) => void secrets.set(key, value),
      delete: async (key) => void secrets.delete(key),
    },
    config: {
      // Copies, as a real store would keep: callers cannot change what is stored by accident.
      get: async (key) => (config.has(key) ? structuredClone(config.get(key)) : undefined),
      set: async (key, value) => void config.set(key, structuredClone(value)),
    },
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    isJiraAdmin: async (accountId) => admins.has(accountId),
    now: options.now ?? (() => new Date()),
    log: (line) => {
      logs.push(line);
      options.echo?.(line);
    },
  };
}
