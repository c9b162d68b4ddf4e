import { REQUEST_ID_HEADER } from '@pm-agent/shared';
import type { GatewayErrorType } from '../auth/authenticator';
import type { Problem } from '../../domain/problem';

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(status: number, body: unknown, requestId: string, extra: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', [REQUEST_ID_HEADER]: requestId, ...SECURITY_HEADERS, ...extra },
  });
}

export function problemResponse(p: Problem, requestId: string, extra: Record<string, string> = {}): Response {
  return json(p.status, p.body(requestId), requestId, extra);
}

/** Auth failures look exactly like API Gateway's, so clients handle local and AWS the same way. */
export function gatewayError(errorType: GatewayErrorType, message: string, requestId: string): Response {
  return json(403, { message }, requestId, { 'x-amzn-errortype': errorType });
}

export function xml(status: number, body: string, requestId: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/xml', [REQUEST_ID_HEADER]: requestId, ...SECURITY_HEADERS } });
}
