import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { IDENTITY_HEADERS } from '@pm-agent/shared';
import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import type { JiraDouble } from '@pm-agent/dev-stack/jira-double';

/** A real local backend on a free loopback port with its own temporary home; `stop` removes everything. */
export interface TestBackend extends LocalBackend {
  home: string;
  logs: string[];
  agent: AwsClient;
  forgeKeys: { accessKeyId: string; secretAccessKey: string };
  /** Signed forge call as the given Jira user (the seeded approver by default). */
  forge(path: string, init?: RequestInit & { accountId?: string; admin?: boolean }): Promise<Response>;
  call(client: AwsClient, path: string, init?: RequestInit): Promise<Response>;
  stop(opts?: { keepHome?: boolean }): Promise<void>;
}

export async function startTestBackend(opts: { home?: string; seed?: boolean; now?: () => Date; stages?: boolean; modelEnv?: Record<string, string | undefined>; jiraDouble?: JiraDouble } = {}): Promise<TestBackend> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'pm-agent-test-'));
  const logs: string[] = [];
  const backend = await startLocalBackend({
    home,
    port: 0,
    jiraPort: 0,
    pollMs: 100,
    stages: opts.stages ?? false,
    jiraDouble: opts.jiraDouble,
    modelEnv: opts.modelEnv ?? {},
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
