import { IDENTITY_HEADERS } from '@pm-agent/shared';

/**
 * CORS for browser callers (the Outlook task pane signs its own calls). Only listed origins get
 * CORS headers; everyone else gets none, and the browser keeps the answer from them. On AWS the
 * same policy is API Gateway's CORS configuration.
 *
 * Allowed headers: the signing headers, the idempotency key, and the Outlook user's identity token,
 * which the pane sends (and signs) on every call: without it a browser refuses every call at preflight.
 */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'x-amz-date', 'x-amz-security-token', 'x-amz-user-agent', 'x-amz-content-sha256', 'idempotency-key', IDENTITY_HEADERS.identityToken];
const EXPOSED_HEADERS = ['x-amzn-requestid', 'x-amzn-errortype', 'retry-after'];

export function corsHeaders(origin: string | null, allowed: readonly string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED_HEADERS.join(', '), vary: 'Origin' };
}

export function preflight(origin: string | null, allowed: readonly string[]): Response {
  const headers = corsHeaders(origin, allowed);
  if (!headers['access-control-allow-origin']) return new Response(null, { status: 403 });
  return new Response(null, {
    status: 204,
    headers: { ...headers, 'access-control-allow-methods': 'GET, POST, PUT', 'access-control-allow-headers': ALLOWED_HEADERS.join(', '), 'access-control-max-age': '600' },
  });
}
