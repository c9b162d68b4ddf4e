/* eslint-disable @typescript-eslint/no-require-imports */
import { EgressReplySchema, type EgressRequest } from './egress-protocol';

/**
 * Runs first in a triage stage process, before any other module (the bundler puts it in front of
 * the stage's entry; see bundle.ts). A triage stage reads hostile text; if that ever turned into
 * code execution, the stage must have no way out but the model API. So:
 * - every Node network door is shut: net/tls sockets (Socket.prototype.connect, which fetch, http,
 *   https and http2 all end in), servers, http(s)/http2 clients, DNS, UDP, WebSocket/EventSource;
 * - `fetch` is replaced by a relay that asks the runner over IPC, and the runner fetches only the
 *   model API's origin (the stage runner's egress relay). The Anthropic SDK uses that fetch unchanged.
 * Node's permission model (set by the runner) already blocks process.binding, child processes,
 * workers, addons and WASI, which are the ways around this module. Where the machine allows it the
 * runner also starts the stage in its own empty network namespace, which closes the network at
 * the kernel as well (the stage runner).
 */
export class NoNetwork extends Error {
  readonly code = 'ERR_STAGE_NO_NETWORK';
  constructor(what: string) {
    super(`network access refused in this stage (${what}): only the model API is reachable, through the runner's relay`);
    this.name = 'NoNetwork';
  }
}

const refuse = (what: string) => () => {
  throw new NoNetwork(what);
};

function shut(target: Record<string, unknown> | undefined, names: readonly string[], prefix: string): void {
  if (!target) return;
  for (const name of names) {
    if (typeof target[name] !== 'function') continue;
    Object.defineProperty(target, name, { value: refuse(`${prefix}.${name}`), writable: false, configurable: false });
  }
}

const DNS_FUNCTIONS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse', 'setServers'] as const;

function lockDown(): void {
  // Load every network module before shutting anything: https, for one, writes to http.Agent's prototype chain as it loads.
  for (const m of ['node:net', 'node:tls', 'node:http', 'node:https', 'node:http2', 'node:dns', 'node:dgram']) require(m);
  const net = require('node:net') as typeof import('node:net');
  shut(net.Socket.prototype as unknown as Record<string, unknown>, ['connect'], 'net.Socket');
  shut(net.Server.prototype as unknown as Record<string, unknown>, ['listen'], 'net.Server');
  shut(net as unknown as Record<string, unknown>, ['connect', 'createConnection', 'createServer'], 'net');
  shut(require('node:tls') as Record<string, unknown>, ['connect', 'createServer'], 'tls');
  for (const m of ['node:http', 'node:https'] as const) {
    const mod = require(m) as Record<string, unknown> & { Agent: { prototype: Record<string, unknown> } };
    shut(mod, ['request', 'get', 'createServer'], m.slice(5));
    shut(mod.Agent.prototype, ['createConnection'], `${m.slice(5)}.Agent`);
  }
  shut(require('node:http2') as Record<string, unknown>, ['connect', 'createServer', 'createSecureServer'], 'http2');
  const dns = require('node:dns') as typeof import('node:dns');
  shut(dns as unknown as Record<string, unknown>, DNS_FUNCTIONS, 'dns');
  shut(dns.Resolver.prototype as unknown as Record<string, unknown>, DNS_FUNCTIONS, 'dns.Resolver');
  shut(dns.promises as unknown as Record<string, unknown>, DNS_FUNCTIONS, 'dns.promises');
  shut(dns.promises.Resolver.prototype as unknown as Record<string, unknown>, DNS_FUNCTIONS, 'dns.promises.Resolver');
  const dgram = require('node:dgram') as typeof import('node:dgram');
  shut(dgram as unknown as Record<string, unknown>, ['createSocket'], 'dgram');
  shut(dgram.Socket.prototype as unknown as Record<string, unknown>, ['bind', 'connect', 'send'], 'dgram.Socket');
  for (const name of ['WebSocket', 'EventSource'] as const) {
    Object.defineProperty(globalThis, name, { value: undefined, writable: false, configurable: false });
  }
  Object.defineProperty(globalThis, 'fetch', { value: relayFetch, writable: false, configurable: false });
}

// ---- the relay's stage side ---------------------------------------------------------------------

const waiting = new Map<string, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
let seq = 0;

process.on('message', (raw: unknown) => {
  if ((raw as { type?: string })?.type !== 'egress-reply') return;
  const reply = EgressReplySchema.safeParse(raw);
  if (!reply.success) return;
  const w = waiting.get(reply.data.id);
  if (!w) return;
  waiting.delete(reply.data.id);
  if (!reply.data.ok) return w.reject(new TypeError(`fetch failed: ${reply.data.error}`));
  const { status, headers, body } = reply.data;
  const nullBody = status === 204 || status === 304 || (status >= 100 && status < 200);
  w.resolve(new Response(nullBody ? null : Buffer.from(body, 'base64'), { status, headers }));
});

async function relayFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const req = new Request(input, init);
  if (req.method !== 'GET' && req.method !== 'POST') throw new TypeError(`fetch failed: the relay carries GET and POST only, not ${req.method}`);
  const body = req.method === 'POST' ? Buffer.from(await req.arrayBuffer()).toString('base64') : null;
  const id = `egress-${++seq}`;
  const message: EgressRequest = { type: 'egress', id, url: req.url, method: req.method, headers: [...req.headers], body };
  return new Promise<Response>((resolve, reject) => {
    const signal = init?.signal ?? null;
    if (signal?.aborted) return reject(signal.reason as Error);
    signal?.addEventListener('abort', () => {
      waiting.delete(id);
      reject(signal.reason as Error);
    });
    waiting.set(id, { resolve, reject });
    process.send?.(message);
  });
}

lockDown();
