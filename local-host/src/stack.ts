import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '@pm-agent/dev-stack';
import { startLocalHost, type LocalHost } from './host';
import type { HostModuleFactory } from './module';

/**
 * The whole local stack on free 127.0.0.1 ports in a temporary home (seeded, stages on, offline
 * classifier), for tests, the bench and the walkthrough; `stop` ends it all and removes the home.
 * The backend needs the host's origin for CORS and the host needs the backend: the backend gets a
 * live list of origins, and the host's is added once it is listening.
 */
export interface LocalStack {
  backend: LocalBackend;
  host: LocalHost;
  logs: string[];
  stop(): Promise<void>;
}

export async function startLocalStack(factories: HostModuleFactory[], opts: { backend?: Partial<LocalBackendOptions>; log?: (line: string) => void; liveRefreshMs?: number } = {}): Promise<LocalStack> {
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-stack-'));
  const logs: string[] = [];
  const log = (l: string) => {
    logs.push(l);
    opts.log?.(l);
  };
  const origins: string[] = [];
  let backend: LocalBackend | undefined;
  try {
    backend = await startLocalBackend({ home, port: 0, jiraPort: 0, stages: true, seed: true, modelEnv: {}, pollMs: 100, log, ...opts.backend, corsOrigins: origins });
    const host = await startLocalHost({ port: 0, factories, context: { backend, home, log, liveRefreshMs: opts.liveRefreshMs } });
    origins.push(host.url);
    const started = backend;
    return {
      backend: started,
      host,
      logs,
      async stop() {
        await host.close();
        await started.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await backend?.close();
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
}
