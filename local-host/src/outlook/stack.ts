import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '@pm-agent/backend/src/local-stack/local-backend';
import { startLocalHost, type LocalHost } from '../host';
import { outlookModule } from './index';

/**
 * The pane against a real local stack, for tests, the bench and anyone scripting the flow: a fresh
 * backend (temporary home, seeded, stages on, offline classifier) and the local host with the
 * Outlook module, each on a free 127.0.0.1 port.
 *
 * The backend must allow the host's origin for CORS, and takes its origins when it starts, while
 * the host needs the running backend. So the host's port is chosen first (the OS hands out a free
 * one, which is released and then bound by the host a moment later) and the origin is known up
 * front. A port taken in between fails the start with EADDRINUSE, and the start is retried.
 */
export interface OutlookStack {
  backend: LocalBackend;
  host: LocalHost;
  /** e.g. http://127.0.0.1:41234/outlook/ */
  paneHostUrl: string;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startOutlookStack(options: { backend?: Partial<LocalBackendOptions>; log?: (line: string) => void } = {}): Promise<OutlookStack> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 3) throw e;
    }
  }
}

async function startOnce(options: { backend?: Partial<LocalBackendOptions>; log?: (line: string) => void }): Promise<OutlookStack> {
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-outlook-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let backend: LocalBackend | undefined;
  try {
    backend = await startLocalBackend({ home, port: 0, jiraPort: 0, stages: true, seed: true, modelEnv: {}, log: options.log, ...options.backend, corsOrigins: [origin] });
    const host = await startLocalHost({ port, factories: [outlookModule], context: { backend, home, log: options.log } });
    const started = backend;
    return {
      backend: started,
      host,
      paneHostUrl: `${host.url}/outlook/`,
      async close() {
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
