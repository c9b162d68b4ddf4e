import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { DEFAULT_SETTINGS, type AuditPage, type Health, type SettingsView, type Suggestion } from '@pm-agent/shared';

/** Test helpers: a loopback HTTP server that records requests, an independent SigV4 verifier, fixtures. */

export interface Received {
  method: string;
  /** Raw path as sent, without the query. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

export type Handler = (req: Received, res: ServerResponse, attempt: number) => void;

export interface TestServer {
  url: string;
  port: number;
  requests: Received[];
  /** Replaces the handler and forgets recorded requests. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  let handler: Handler = (_req, res) => reply(res, 500, { error: 'internal', message: 'no handler' });
  const requests: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((raw: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (c: Buffer) => chunks.push(c));
    raw.on('end', () => {
      const url = new URL(raw.url ?? '/', 'http://placeholder');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(raw.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
      }
      const received = { method: raw.method ?? '', path: (raw.url ?? '/').split('?')[0] ?? '/', query: url.searchParams, headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(received);
      handler(received, res, requests.length);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle(h) {
      handler = h;
      requests.length = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

/** Runs `fn` after `ms`; the timer dies with the response, so a client timeout or close() leaves nothing behind. */
export function later(res: ServerResponse, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    if (!res.destroyed) fn();
  }, ms);
  res.on('close', () => clearTimeout(timer));
}

let requestCounter = 0;

export function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-RequestId': `req-${++requestCounter}`, ...headers });
  res.end(text);
}

/** Drops the connection without answering, as a crashed proxy or a reset would. */
export function drop(res: ServerResponse): void {
  res.socket?.destroy();
}

export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AuthHeader {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(value: string | undefined): AuthHeader {
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
    value ?? '',
  );
  if (!m) throw new Error(`not a SigV4 Authorization header: ${value}`);
  return {
    accessKeyId: m[1] ?? '',
    date: m[2] ?? '',
    region: m[3] ?? '',
    service: m[4] ?? '',
    signedHeaders: (m[5] ?? '').split(';'),
    signature: m[6] ?? '',
  };
}

/**
 * Recomputes the signature with @smithy/signature-v4 (the AWS SDK's signer, independent of aws4fetch)
 * over what the server received, signing exactly the headers the client listed in SignedHeaders.
 */
export async function expectedSignature(
  req: Received,
  creds: TestCredentials,
  opts: { region: string; service: string; port: number },
): Promise<string> {
  const auth = parseAuthorization(req.headers['authorization']);
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  const amzDate = req.headers['x-amz-date'] ?? '';
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    credentials: creds,
    region: opts.region,
    service: opts.service,
    sha256: Sha256,
    uriEscapePath: true,
    applyChecksum: false, // aws4fetch does not send x-amz-content-sha256 for non-S3 services
  });
  const query: Record<string, string> = {};
  req.query.forEach((v, k) => {
    query[k] = v;
  });
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: '127.0.0.1', port: opts.port, path: req.path, query, headers, body: req.body || undefined },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const authorization = signed.headers['authorization'] ?? '';
  return parseAuthorization(authorization).signature;
}

// ---- fixtures, valid against the shared schemas ----

export const SUGGESTION_ID = 'sug_01HZX3K9Q2W8E7R6T5Y4';
const T = '2025-03-01T10:00:00.000Z';

export function suggestion(overrides: Partial<Suggestion> = {}): Suggestion {
  return {
    id: SUGGESTION_ID,
    actionType: 'jira_comment',
    payload: { issueKey: 'ABC-1', body: 'Status update' },
    payloadHash: 'a'.repeat(64),
    edited: false,
    issueKey: 'ABC-1',
    rationale: 'Keeps the issue current',
    provenance: { source: 'jira_issue', ref: 'ABC-1', excerpt: 'Please update' },
    boundary: 'approval',
    state: 'pending',
    createdBy: { principal: 'agent', id: 'agent-1' },
    createdAt: T,
    updatedAt: T,
    expiresAt: null,
    runAt: null,
    decision: null,
    result: null,
    version: 1,
    ...overrides,
  };
}

export const HEALTH: Health = { status: 'ok', service: 'pm-agent', version: '0.1.0', mode: 'local', time: T };

export const SETTINGS_VIEW: SettingsView = { settings: DEFAULT_SETTINGS, version: 3, updatedAt: T, updatedBy: { principal: 'forge', id: 'acc-1' } };

export const AUDIT_PAGE: AuditPage = {
  items: [
    {
      seq: 1,
      at: T,
      actor: { principal: 'agent', id: 'agent-1' },
      action: 'suggestion.created',
      subject: SUGGESTION_ID,
      details: {},
      prevHash: '0'.repeat(64),
      hash: 'b'.repeat(64),
    },
  ],
  next: null,
};

/** A port nothing listens on: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every string reachable from an error's own properties (enumerable or not, `cause` included). */
export function textOf(value: unknown, depth = 0, seen = new Set<unknown>()): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || depth > 5 || seen.has(value)) return '';
  seen.add(value);
  return Object.getOwnPropertyNames(value)
    .map((name) => `${name}=${textOf(Reflect.get(value, name) as unknown, depth + 1, seen)}`)
    .join('\n');
}
