import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalBackend, type LocalBackend, type LocalBackendOptions } from '@pm-agent/dev-stack';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalHost, type LocalHost } from '../../src/host';
import type { HostModuleFactory } from '../../src/module';

/**
 * A TEST STAND-IN for a hung backend: a 127.0.0.1 HTTP front that passes requests to the real
 * local backend, except those `hang` matches, which it accepts and never answers (the socket stays
 * open until the test lets go or closes it). Works per request, so a browser's kept-alive
 * connection cannot slip past it. Headers go through untouched (Host included), so SigV4 signatures
 * made for the front's address verify at the backend.
 */
export interface HungFront {
  url: string;
  /** Which requests hang; default none. */
  hang: (method: string, path: string) => boolean;
  /** Requests held so far (method and path). */
  held: string[];
  /** Ends every held request's connection without an answer. */
  release(): void;
  close(): Promise<void>;
}

export async function startHungFront(target: string): Promise<HungFront> {
  const upstream = new URL(target);
  const heldResponses = new Set<ServerResponse>();
  const front: HungFront = {
    url: '',
    hang: () => false,
    held: [],
    release: () => {
      for (const res of heldResponses) res.socket?.destroy();
      heldResponses.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        front.release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    if (front.hang(req.method ?? 'GET', path)) {
      front.held.push(`${req.method} ${path}`);
      heldResponses.add(res);
      req.resume(); // read the body, answer nothing
      return;
    }
    const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  front.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return front;
}

/** The local stack (as ../../src/stack.ts) with every page and resolver reaching the backend through a HungFront. */
export interface HungStack {
  backend: LocalBackend;
  front: HungFront;
  host: LocalHost;
  stop(): Promise<void>;
}

export async function startHungStack(factories: HostModuleFactory[], backendOptions: Partial<LocalBackendOptions> = {}): Promise<HungStack> {
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-hung-'));
  const origins: string[] = [];
  const backend = await startLocalBackend({ home, port: 0, jiraPort: 0, stages: true, seed: true, modelEnv: {}, pollMs: 100, ...backendOptions, corsOrigins: origins });
  const front = await startHungFront(backend.url);
  try {
    // The pages and resolvers see the front's address as the backend's; everything else is the real backend.
    const seen: LocalBackend = Object.create(backend, { url: { value: front.url, enumerable: true } }) as LocalBackend;
    const host = await startLocalHost({ port: 0, factories, context: { backend: seen, home, log: () => undefined } });
    origins.push(host.url);
    return {
      backend,
      front,
      host,
      async stop() {
        await host.close();
        await front.close();
        await backend.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await front.close();
    await backend.close();
    rmSync(home, { recursive: true, force: true });
    throw e;
  }
}
