import { z } from 'zod';
import { GatewayAuthenticator } from '../api/auth/gateway-authenticator';
import { createApp, type App } from '../api/http/app';
import { lambdaHandler, type ApiGatewayProxyEvent, type ApiGatewayProxyResult } from '../api/http/lambda';
import { SqliteStore } from '../store/sqlite/sqlite-store';

/**
 * The Lambda entry behind API Gateway (REST API, IAM authorisation, Lambda proxy integration).
 *
 * Environment:
 * - PM_AGENT_ROLES: JSON {"forge":"<role name>","outlook":"<role name>","agent":"<role name>"}
 * - PM_AGENT_SQLITE_PATH: the store file. NOT YET DynamoDB: the DynamoDB adapter is still to be
 *   built, so this entry is fit only for a single-instance trial with the file on durable storage.
 */
const RolesSchema = z.strictObject({ forge: z.string().min(1), outlook: z.string().min(1), agent: z.string().min(1) });

let handle: ((event: ApiGatewayProxyEvent) => Promise<ApiGatewayProxyResult>) | undefined;

function init(): (event: ApiGatewayProxyEvent) => Promise<ApiGatewayProxyResult> {
  const roles = RolesSchema.safeParse(JSON.parse(process.env.PM_AGENT_ROLES ?? 'null'));
  if (!roles.success) throw new Error('PM_AGENT_ROLES must be JSON naming the IAM role of each principal: {"forge","outlook","agent"}');
  const file = process.env.PM_AGENT_SQLITE_PATH;
  if (!file) throw new Error('PM_AGENT_SQLITE_PATH must name the store file (the DynamoDB store is not built yet)');
  const app: App = createApp({
    store: new SqliteStore(file),
    authenticator: new GatewayAuthenticator(roles.data),
    now: () => new Date(),
    mode: 'aws',
    version: process.env.PM_AGENT_VERSION ?? '0.1.0',
    log: (line) => console.log(line),
  });
  return lambdaHandler(app);
}

export async function handler(event: ApiGatewayProxyEvent): Promise<ApiGatewayProxyResult> {
  handle ??= init();
  return handle(event);
}
