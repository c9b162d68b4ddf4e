import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { IDENTITY_HEADERS } from '@pm-agent/shared';
import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import type { JiraDouble } from '@pm-agent/dev-stack/jira-double';
import type { LocalStoreChoice } from '@pm-agent/dev-stack';
import { randomBytes } from 'node:crypto';

/** A real local backend on a free loopback port with its own temporary home; `stop` removes everything. */
export interface TestBackend extends LocalBackend {
  home: string;
  logs: string[];
  /** The DynamoDB tables, when the store is DynamoDB. */
  storeTables?: { main: string; audit: string };
  agent: AwsClient;
  forgeKeys: { accessKeyId: string; secretAccessKey: string };
  /** Signed forge call as the given Jira user (the seeded approver by default). */
  forge(path: string, init?: RequestInit & { accountId?: string; admin?: boolean }): Promise<Response>;
  call(client: AwsClient, path: string, init?: RequestInit): Promise<Response>;
  stop(opts?: { keepHome?: boolean }): Promise<void>;
}

export async function startTestBackend(opts: { home?: string; seed?: boolean; now?: () => Date; stages?: boolean; modelEnv?: Record<string, string | undefined>; jiraDouble?: JiraDouble; store?: LocalStoreChoice } = {}): Promise<TestBackend> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'pm-agent-test-'));
  const logs: string[] = [];
  // Each DynamoDB-backed test backend gets its own tables in the shared DynamoDB Local.
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const store: LocalStoreChoice | undefined = opts.store?.kind === 'dynamodb' ? { tables: { main: `${prefix}-main`, audit: `${prefix}-audit` }, ...opts.store } : opts.store;
  const backend = await startLocalBackend({
    home,
    store,
    port: 0,
    jiraPort: 0,
    pollMs: 100,
    stages: opts.stages ?? false,
    jiraDouble: opts.jiraDouble,
    // Suites triage whole corpora as one user on a loaded machine: rate and sanitise budget are lifted unless a test sets them.
    modelEnv: { PM_AGENT_TRIAGE_BURST: '1000', PM_AGENT_TRIAGE_PER_MINUTE: '10000', PM_AGENT_SANITISE_BUDGET_MS: '120000', ...opts.modelEnv },
    seed: opts.seed ?? true,
    log: (l) => logs.push(l),
    now: opts.now,
  });
  const { principals, region, service } = backend.files.credentials;
  const client = (keys: { accessKeyId: string; secretAccessKey: string }) => new AwsClient({ ...keys, region, service, retries: 0 });
  const agent = client(principals.agent);
  const forgeClient = client(principals.forge);
  const call = (c: AwsClient, path: string, init: RequestInit & { aws?: Record<string, unknown> } = {}) =>
    c.fetch(backend.url + path, { ...init, aws: { allHeaders: true, ...init.aws } } as RequestInit);
  return {
    ...backend,
    home,
    logs,
    storeTables: store?.kind === 'dynamodb' ? store.tables : undefined,
    agent,
    forgeKeys: principals.forge,
    call,
    forge(path, init = {}) {
      const { accountId = LOCAL_USER.accountId, admin = false, headers, ...rest } = init;
      const identity: Record<string, string> = { [IDENTITY_HEADERS.accountId]: accountId, [IDENTITY_HEADERS.site]: LOCAL_USER.site };
      if (admin) identity[IDENTITY_HEADERS.role] = 'admin';
      return call(forgeClient, path, { ...rest, headers: { ...identity, ...(headers as Record<string, string>) } });
    },
    async stop({ keepHome = false } = {}) {
      await backend.close();
      if (!keepHome) rmSync(home, { recursive: true, force: true });
    },
  };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

export function jsonPost(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}
