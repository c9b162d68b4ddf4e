import { z } from 'zod';
import { GatewayAuthenticator } from '../api/auth/gateway-authenticator';
import { createApp, type App } from '../api/http/app';
import { lambdaHandler, type ApiGatewayProxyEvent, type ApiGatewayProxyResult } from '../api/http/lambda';
import { openStore, storeConfigFromEnv } from '../store/open-store';

/**
 * The Lambda entry behind API Gateway (REST API, IAM authorisation, Lambda proxy integration).
 *
 * Environment:
 * - PM_AGENT_ROLES: JSON {"forge":"<role name>","outlook":"<role name>","agent":"<role name>"}
 * - the store (store/open-store.ts): PM_AGENT_STORE=dynamodb with PM_AGENT_DYNAMODB_TABLE (and
 *   PM_AGENT_DYNAMODB_AUDIT_TABLE) and AWS_REGION on AWS; PM_AGENT_STORE=sqlite with
 *   PM_AGENT_SQLITE_PATH only for a single-instance trial.
 * A bad configuration is found once, at the first invocation: one clear log line, and every
 * request answers 503 without a stack trace.
 */
const RolesSchema = z.strictObject({ forge: z.string().min(1), outlook: z.string().min(1), agent: z.string().min(1) });

let handle: Promise<(event: ApiGatewayProxyEvent) => Promise<ApiGatewayProxyResult>> | undefined;

async function init(): Promise<(event: ApiGatewayProxyEvent) => Promise<ApiGatewayProxyResult>> {
  const roles = RolesSchema.safeParse(JSON.parse(process.env.PM_AGENT_ROLES ?? 'null'));
  if (!roles.success) throw new Error('PM_AGENT_ROLES must be JSON naming the IAM role of each principal: {"forge","outlook","agent"}');
  const store = await openStore(storeConfigFromEnv(process.env));
  const app: App = createApp({
    store,
    authenticator: new GatewayAuthenticator(roles.data),
    now: () => new Date(),
    mode: 'aws',
    version: process.env.PM_AGENT_VERSION ?? '0.1.0',
    log: (line) => console.log(line),
  });
  return lambdaHandler(app);
}

export async function handler(event: ApiGatewayProxyEvent): Promise<ApiGatewayProxyResult> {
  handle ??= init().catch((e: Error) => {
    console.error(`The backend cannot start: ${e.message}`);
    return async () => ({
      statusCode: 503,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'internal', message: 'The backend is not configured correctly; its operator can see why in the logs.' }),
      isBase64Encoded: false,
    });
  });
  return (await handle)(event);
}
