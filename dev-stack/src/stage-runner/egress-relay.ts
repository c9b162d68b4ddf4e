import type { ChildProcess } from 'node:child_process';
import { EGRESS_LIMITS, EgressRequestSchema, type EgressReply } from '@pm-agent/backend/stages';

/**
 * The runner's side of a stage's egress: one HTTP request at a time on the stage's behalf, only to
 * the origins its policy allows (the model API), never following a redirect, with size and time
 * limits. Anything else is refused with a reason the stage sees as a failed fetch. Nothing here is
 * logged, since the request carries the model key.
 */
const DROP_REQUEST_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-authorization']);
const DROP_RESPONSE_HEADERS = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'set-cookie']);

export function isEgressMessage(m: unknown): boolean {
  return (m as { type?: string } | null)?.type === 'egress';
}

export async function relayEgress(child: ChildProcess, raw: unknown, allowedOrigins: readonly string[]): Promise<void> {
  const parsed = EgressRequestSchema.safeParse(raw);
  const id = typeof (raw as { id?: unknown }).id === 'string' ? String((raw as { id: string }).id).slice(0, 100) : '';
  const answer = (reply: EgressReply) => {
    if (child.connected) child.send(reply);
  };
  const refuse = (error: string) => answer({ type: 'egress-reply', id, ok: false, error });
  if (!parsed.success) return refuse('the egress request was malformed');
  const req = parsed.data;
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return refuse('the URL is not valid');
  }
  if (!allowedOrigins.includes(url.origin)) return refuse(`${url.origin} is not reachable from this stage; only ${allowedOrigins.join(', ') || 'nothing'} is`);
  if (url.username || url.password) return refuse('URLs with credentials are refused');
  const body = req.body === null ? undefined : Buffer.from(req.body, 'base64');
  if (body && body.byteLength > EGRESS_LIMITS.requestBytes) return refuse('the request body is too large');
  try {
    const res = await fetch(url, {
      method: req.method,
      headers: req.headers.filter(([k]) => !DROP_REQUEST_HEADERS.has(k.toLowerCase())),
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(EGRESS_LIMITS.timeoutMs),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.byteLength > EGRESS_LIMITS.responseBytes) return refuse('the response was too large');
    const headers = [...res.headers].filter(([k]) => !DROP_RESPONSE_HEADERS.has(k.toLowerCase())).slice(0, 100) as Array<[string, string]>;
    answer({ type: 'egress-reply', id, ok: true, status: res.status, headers, body: bytes.toString('base64') });
  } catch (e) {
    refuse(`the model API could not be reached (${(e as Error).name})`);
  }
}
