import type { App } from './app';

/**
 * API Gateway (REST API, Lambda proxy integration, payload 1.0) to the web-standard app and back.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
 */
export interface ApiGatewayProxyEvent {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
  queryStringParameters: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  body: string | null;
  isBase64Encoded: boolean;
  requestContext: { requestId: string; domainName?: string; identity: { userArn?: string | null } };
}

export interface ApiGatewayProxyResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

export function lambdaHandler(app: App): (event: ApiGatewayProxyEvent) => Promise<ApiGatewayProxyResult> {
  return async (event) => {
    const headers = headerPairs(event);
    const query = queryString(event);
    const host = event.requestContext.domainName ?? 'execute-api.local';
    const body = event.body === null ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
    const request = new Request(`https://${host}${event.path}${query}`, { method: event.httpMethod, headers, body });
    const userArn = event.requestContext.identity.userArn ?? undefined;
    const response = await app(request, { rawPath: event.path + query, headers, gatewayIdentity: userArn ? { userArn } : undefined });
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    return { statusCode: response.status, headers: out, body: await response.text(), isBase64Encoded: false };
  };
}

function headerPairs(event: ApiGatewayProxyEvent): Array<[string, string]> {
  if (event.multiValueHeaders) {
    return Object.entries(event.multiValueHeaders).flatMap(([k, vs]) => (vs ?? []).map((v): [string, string] => [k, v]));
  }
  return Object.entries(event.headers ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as [string, string]]));
}

function queryString(event: ApiGatewayProxyEvent): string {
  const params = new URLSearchParams();
  if (event.multiValueQueryStringParameters) {
    for (const [k, vs] of Object.entries(event.multiValueQueryStringParameters)) for (const v of vs ?? []) params.append(k, v);
  } else {
    for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) params.append(k, v);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}
