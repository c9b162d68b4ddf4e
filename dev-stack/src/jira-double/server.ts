import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jiraErrorBody, type DoubleUser } from './representations';
import { route, type Reply } from './handlers';
import { DEFAULT_ISSUES, DEFAULT_PROJECTS, type DoubleIssueSeed, type DoubleProject, type StatusName } from './seed';
import { DoubleStore, type StoredComment } from './store';

/**
 * The Jira double: a LOCAL STAND-IN for Jira Cloud REST v3, not Jira. It serves the paths and
 * JSON bodies the adapter uses (issue, comments with entity properties, deleting a comment,
 * transitions, create issue), checks comment and description bodies against the official ADF schema, and answers
 * errors in Jira's `{errorMessages, errors}` shape. Every response says so in
 * `x-stand-in: jira-double`. Test hooks exist only on the returned object, never over HTTP.
 */

export interface JiraDoubleOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Basic-auth credentials it accepts, as an Atlassian account email and API token. */
  email: string;
  apiToken: string;
  projects?: DoubleProject[];
  /** Default: the seeded ABC issues (those of configured projects). */
  issues?: DoubleIssueSeed[];
  /** Shown as the author of comments posted with the configured credentials. */
  displayName?: string;
  /** Request bodies above this are refused with 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** One line per request: method, path, status, time. Never headers or bodies. */
  log?: (line: string) => void;
  now?: () => Date;
}

export interface JiraDoubleRequestInfo {
  method: string;
  path: string;
  status: number;
  issueKey: string | undefined;
}

export interface JiraDoubleHooks {
  /**
   * Runs after the request has changed state and before the answer is written. Resolve later
   * to hold the answer; reject to drop the connection without answering (a crash between
   * "Jira stored it" and "the caller heard").
   */
  beforeRespond?: (req: JiraDoubleRequestInfo) => Promise<void>;
}

export interface IssueSnapshot {
  id: string;
  key: string;
  summary: string;
  status: StatusName;
  issueType: string;
  description: unknown;
  properties: { key: string; value: unknown }[];
  labels: string[];
}

/** Read-only views of what the double holds (copies: tests cannot change it by accident). */
export interface JiraDoubleState {
  comments(issueKey: string): StoredComment[];
  issue(issueKey: string): IssueSnapshot | undefined;
  issues(): IssueSnapshot[];
}

export interface JiraDouble {
  url: string;
  port: number;
  state: JiraDoubleState;
  hooks: JiraDoubleHooks;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Past this multiple of the limit a refused body is no longer drained: the 413 closes the connection. */
const DRAIN_FACTOR = 16;
const API_PREFIX = '/rest/api/3/';

export async function startJiraDouble(options: JiraDoubleOptions): Promise<JiraDouble> {
  if (!options.email || !options.apiToken) throw new Error('Jira double: email and apiToken are required.');
  const projects = options.projects ?? DEFAULT_PROJECTS;
  const keys = new Set(projects.map((p) => p.key));
  const issues = options.issues ?? DEFAULT_ISSUES.filter((i) => keys.has(i.key.split('-')[0] ?? ''));
  const store = new DoubleStore(projects, issues, options.now ?? (() => new Date()));
  const author: DoubleUser = { accountId: '712020:jira-double-pm-agent', emailAddress: options.email, displayName: options.displayName ?? 'PM Agent' };
  const credentialsOk = basicAuthChecker(options.email, options.apiToken);
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  const hooks: JiraDoubleHooks = {};
  let base = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((e: Error) => {
      options.log?.(`${req.method} ${pathOf(req)} failed inside the double: ${e.message}`);
      if (!res.headersSent) send(res, { status: 500, body: jiraErrorBody(['Internal error in the Jira double.']) });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = req.method ?? 'GET';
    const path = pathOf(req);
    const reply = await answer(req, method, path);
    const segments = path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length).split('/') : [];
    const info: JiraDoubleRequestInfo = { method, path, status: reply.status, issueKey: segments[0] === 'issue' ? segments[1] : undefined };
    const line = `${method} ${path} ${reply.status} ${Date.now() - started}ms${reply.note ? ` (${reply.note})` : ''}`;
    try {
      await hooks.beforeRespond?.(info);
    } catch {
      options.log?.(`${line}: connection dropped by a test hook`);
      res.destroy();
      return;
    }
    send(res, reply);
    options.log?.(line);
  }

  async function answer(req: IncomingMessage, method: string, path: string): Promise<Reply> {
    if (!credentialsOk(req.headers.authorization)) {
      return { status: 401, body: jiraErrorBody(['You are not authenticated. Authentication required to perform this operation.']) };
    }
    let body: unknown;
    if (method === 'POST' || method === 'PUT') {
      const read = await readBody(req, limit);
      if ('tooLarge' in read) {
        const headers: Record<string, string> = read.drained ? {} : { connection: 'close' };
        return { status: 413, body: jiraErrorBody([`The request body is larger than ${limit} bytes.`]), headers };
      }
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        return { status: 415, body: jiraErrorBody(['Unsupported media type: send the body as application/json.']) };
      }
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes));
      } catch (e) {
        return { status: 400, body: jiraErrorBody([`The request body is not valid JSON: ${(e as Error).message}`]) };
      }
    }
    const notServed: Reply = { status: 404, body: jiraErrorBody([`The Jira double serves only ${API_PREFIX}issue/…`]) };
    if (!path.startsWith(API_PREFIX)) return notServed;
    let segments: string[];
    try {
      segments = path.slice(API_PREFIX.length).split('/').map(decodeURIComponent);
    } catch {
      return notServed; // malformed %-escape
    }
    const query = new URL(req.url ?? '/', 'http://double').searchParams;
    return route({ store, author }, { method, segments, query, body, base });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  base = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  let closing: Promise<void> | undefined;
  const snapshot = (key: string): IssueSnapshot | undefined => {
    const i = store.issue(key);
    return i && structuredClone({ id: i.id, key: i.key, summary: i.summary, status: i.status, issueType: i.issueType, description: i.description, properties: i.properties, labels: i.labels });
  };
  return {
    url: base,
    port,
    hooks,
    state: {
      comments: (key) => structuredClone(store.issue(key)?.comments ?? []),
      issue: snapshot,
      issues: () => store.allIssues().flatMap((i) => snapshot(i.key) ?? []),
    },
    // Idempotent: a test may close early and afterAll close again.
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections(); // held (hooked) answers must not keep the server open
      })),
  };
}

function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://double').pathname;
  } catch {
    return '/';
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return; // the caller went away while the answer was held
  const headers: Record<string, string> = {
    'x-stand-in': 'jira-double',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const json = JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(json) }).end(json);
}

/**
 * The body, or why not. An oversize body is drained (so the client gets to read the 413) up to
 * a point. Past it the connection is closed: after a 413 when the size was announced, at once
 * when it was not.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<{ bytes: Uint8Array } | { tooLarge: true; drained: boolean }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit * DRAIN_FACTOR) return { tooLarge: true, drained: false };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > limit * DRAIN_FACTOR) return { tooLarge: true, drained: false };
    if (size <= limit) chunks.push(chunk);
  }
  return size > limit ? { tooLarge: true, drained: true } : { bytes: Buffer.concat(chunks) };
}

/** Basic auth as Jira Cloud takes API tokens: base64(email:token). Compared in constant time. */
function basicAuthChecker(email: string, apiToken: string): (header: string | undefined) => boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const expected = digest(`${email.toLowerCase()}:${apiToken}`);
  return (header) => {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? '');
    if (!m?.[1]) return false;
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    return timingSafeEqual(digest(`${decoded.slice(0, colon).toLowerCase()}:${decoded.slice(colon + 1)}`), expected);
  };
}
