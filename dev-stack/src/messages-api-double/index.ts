import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Behaviour, RecordedRequest } from './behaviours';
import { checkRequest, type MessagesRequest } from './validate';
import { errorBody, id, message, roughTokens, type MessageBody } from './wire';

/**
 * LOCAL STAND-IN for the Anthropic Messages API (POST /v1/messages), for tests and local runs:
 * it is not Claude and never calls out. It validates requests the way the real API does (key,
 * anthropic-version, body), answers in the real shapes, and says what it is in every response
 * (`x-stand-in: messages-api-double`). Tests script one behaviour per call, in FIFO order; when
 * the script is empty the default behaviour answers. It listens on 127.0.0.1 only.
 */
export * from './behaviours';
export { roughTokens } from './wire';

export interface MessagesApiDoubleOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The key clients must send, as x-api-key or Authorization: Bearer. */
  apiKey: string;
  /** Answers when nothing is scripted; by default a 500 saying so. */
  defaultBehaviour?: Behaviour;
}

export interface MessagesApiDouble {
  /** Base URL for the SDK's `baseURL`, e.g. http://127.0.0.1:51234 */
  url: string;
  /** Every request received, in order, including refused ones. */
  requests: RecordedRequest[];
  /** Queues behaviours for the next calls. */
  script(...behaviours: Behaviour[]): void;
  setDefault(behaviour: Behaviour): void;
  /** Clears the script and the recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

export const STAND_IN_HEADER = { name: 'x-stand-in', value: 'messages-api-double' } as const;
const MAX_BODY_BYTES = 32 * 1024 * 1024; // the real API's request size limit
const NOTHING_SCRIPTED: Behaviour = { kind: 'status', status: 500, errorType: 'api_error', message: 'messages-api-double: nothing is scripted for this call' };

export async function startMessagesApiDouble(opts: MessagesApiDoubleOptions): Promise<MessagesApiDouble> {
  const queue: Behaviour[] = [];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let fallback = opts.defaultBehaviour ?? NOTHING_SCRIPTED;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const headers = lowerHeaders(req);
    const rec: RecordedRequest = { method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', headers, body: parseOrUndefined(raw), answered: null };
    requests.push(rec);
    const requestId = id('req');
    const send = (status: number, body: string, extra: Record<string, string> = {}): void => {
      if (res.writableEnded || res.destroyed) return; // the client gave up (e.g. timed out)
      rec.answered = status;
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, [STAND_IN_HEADER.name]: STAND_IN_HEADER.value, ...extra });
      res.end(body);
    };
    const fail = (status: number, type: string, msg: string, extra?: Record<string, string>): void => send(status, JSON.stringify(errorBody(type, msg, requestId)), extra);

    if (raw === null) return fail(413, 'request_too_large', `Request exceeds the maximum size of ${MAX_BODY_BYTES} bytes.`);
    if (rec.method !== 'POST' || rec.path !== '/v1/messages') return fail(404, 'not_found_error', `Not found: ${rec.method} ${rec.path}`);
    const check = checkRequest(headers, raw, opts.apiKey);
    if (!check.ok) return fail(check.status, check.errorType, check.message);

    let behaviour = queue.shift() ?? fallback;
    for (;;) {
      if (behaviour.kind === 'respond') behaviour = await behaviour.fn(rec);
      else if (behaviour.kind === 'delay') {
        await sleep(behaviour.ms);
        behaviour = behaviour.then;
      } else break;
    }
    const answer = render(behaviour, check.body);
    if (answer.kind === 'error') return fail(answer.status, answer.errorType, answer.message, answer.headers);
    send(200, answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', [STAND_IN_HEADER.name]: STAND_IN_HEADER.value });
      res.end(JSON.stringify(errorBody('api_error', `messages-api-double failed: ${(e as Error).message}`, id('req'))));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...behaviours) => void queue.push(...behaviours),
    setDefault: (b) => void (fallback = b),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Answer = { kind: 'ok'; body: string } | { kind: 'error'; status: number; errorType: string; message: string; headers?: Record<string, string> };

/** Only terminal behaviours reach here (respond and delay are unwrapped by the caller). */
function render(b: Behaviour, req: MessagesRequest): Answer {
  const inputTokens = roughTokens({ system: req.system, messages: req.messages, tools: req.tools });
  const ok = (m: MessageBody): Answer => ({ kind: 'ok', body: JSON.stringify(m) });
  const toolName = req.tool_choice?.type === 'tool' ? req.tool_choice.name : req.tools?.[0]?.name;
  switch (b.kind) {
    case 'toolUse':
    case 'truncated': {
      const name = (b.kind === 'toolUse' ? b.name : undefined) ?? toolName;
      if (!name) return { kind: 'error', status: 500, errorType: 'api_error', message: 'messages-api-double: a tool call is scripted but the request defines no tools' };
      const block = { type: 'tool_use' as const, id: id('toolu'), name, input: b.input, caller: { type: 'direct' as const } };
      return b.kind === 'toolUse' ? ok(message(req.model, [block], 'tool_use', inputTokens)) : ok(message(req.model, [block], 'max_tokens', inputTokens, req.max_tokens));
    }
    case 'text':
      return ok(message(req.model, [{ type: 'text', text: b.text, citations: null }], 'end_turn', inputTokens));
    case 'refusal':
      return ok({ ...message(req.model, [], 'refusal', inputTokens, 0), stop_details: { type: 'refusal', category: null, explanation: b.explanation } });
    case 'status':
      return { kind: 'error', status: b.status, errorType: b.errorType, message: b.message, ...(b.retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(b.retryAfterSeconds) } } : {}) };
    case 'malformedJson':
      return { kind: 'ok', body: '{"id":"msg_01cut","type":"message","content":[{"type":"tool_use","input":{"summary":"cut' };
    case 'delay':
    case 'respond':
      return { kind: 'error', status: 500, errorType: 'api_error', message: 'messages-api-double: unreachable behaviour' };
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function parseOrUndefined(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
