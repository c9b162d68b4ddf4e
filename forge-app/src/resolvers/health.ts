import { HealthSchema } from '@pm-agent/shared';
import type { ConnectionCheck } from '../common/contract';
import type { ResolverPorts } from './ports';

const TIMEOUT_MS = 5_000;
const LABEL = 'Backend reachable (unsigned health check)';

/**
 * GET /v1/health without a signature: tells "cannot reach the backend" apart from "the backend
 * refuses our key", which the signed check reports next.
 */
export async function checkHealth(ports: ResolverPorts, endpoint: string): Promise<ConnectionCheck> {
  const url = `${endpoint}/v1/health`;
  let status: number;
  let body: string;
  try {
    const res = await ports.fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    status = res.status;
    body = await res.text();
  } catch (error) {
    return { name: 'health', label: LABEL, ok: false, detail: `Could not reach ${url}: ${reason(error)}. Check the endpoint and that the backend is running.` };
  }
  if (status !== 200) return { name: 'health', label: LABEL, ok: false, detail: `${url} answered HTTP ${status}, not 200. Check that the endpoint is the PM agent backend's base URL (including any stage path such as /prod).` };
  const health = parseHealth(body);
  if (!health) return { name: 'health', label: LABEL, ok: false, detail: `${url} answered, but not the way the PM agent backend does. Check the endpoint.` };
  return { name: 'health', label: LABEL, ok: true, detail: `Reachable: ${health.service} ${health.version} (${health.mode}).` };
}

function parseHealth(body: string) {
  try {
    const parsed = HealthSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "ECONNREFUSED", "no answer within 5 s", or the error's message; never headers or bodies.
 * Duck-typed: fetch's errors may come from another realm, where instanceof Error fails.
 */
function reason(error: unknown): string {
  const name = field(error, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = field(field(error, 'cause'), 'code');
  if (typeof code === 'string' && code) return code;
  const message = field(error, 'message');
  return typeof message === 'string' && message ? message : 'request failed';
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (Reflect.get(value, key) as unknown) : undefined;
}
