import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend, type LocalBackend } from '@pm-agent/backend/src/local-stack/local-backend';
import { startLocalHost, type LocalHost } from '../../src/host';
import type { HostModuleFactory } from '../../src/module';

/** The whole local stack on free loopback ports, in a temporary home; `stop` ends it all. */
export interface TestStack {
  backend: LocalBackend;
  host: LocalHost;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestStack(factories: HostModuleFactory[], opts: { pollMs?: number } = {}): Promise<TestStack> {
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-host-'));
  const logs: string[] = [];
  const log = (l: string) => logs.push(l);
  // The host's origin must be allowed by the backend's CORS before the host exists: reserve both ways.
  const origins: string[] = [];
  const backend = await startLocalBackend({ home, port: 0, jiraPort: 0, stages: true, seed: true, modelEnv: {}, corsOrigins: origins, pollMs: opts.pollMs ?? 100, log });
  const host = await startLocalHost({ port: 0, factories, context: { backend, home, log } }).catch(async (e: Error) => {
    await backend.close();
    throw e;
  });
  origins.push(host.url);
  return {
    backend,
    host,
    logs,
    async stop() {
      await host.close();
      await backend.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
