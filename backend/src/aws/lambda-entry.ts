import { z } from 'zod';
import { GatewayAuthenticator } from '../api/auth/gateway-authenticator';
import { OutlookOidcEnvSchema, outlookTokenVerifier, remoteKeys, type OutlookTokenVerifier } from '../api/auth/outlook-token';
import { createApp, type App } from '../api/http/app';
import { lambdaHandler, type ApiGatewayProxyEvent, type ApiGatewayProxyResult } from '../api/http/lambda';
import { SqliteStore } from '../store/sqlite/sqlite-store';

/**
 * The Lambda entry behind API Gateway (REST API, IAM authorisation, Lambda proxy integration).
 *
 * Environment:
 * - PM_AGENT_ROLES: JSON {"forge":"<IAM user name>","outlook":"<role name>","agent":"<role name>"}: the Forge
 *   app signs with an IAM user's key pair, Outlook users and the agent with their role's temporary credentials.
 * - PM_AGENT_OUTLOOK_OIDC: JSON {"issuer","audience","jwksUri","emailClaim"?,"timeoutMs"?}: the Entra ID
 *   tenant whose tokens name Outlook users (e.g. issuer https://login.microsoftonline.com/<tenant>/v2.0,
 *   jwksUri https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys). Without it Outlook calls are refused.
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
    authenticator: new GatewayAuthenticator(roles.data, { outlookTokens: outlookTokensFromEnv(), now: () => new Date() }),
    now: () => new Date(),
    mode: 'aws',
    version: process.env.PM_AGENT_VERSION ?? '0.1.0',
    log: (line) => console.log(line),
  });
  return lambdaHandler(app);
}

function outlookTokensFromEnv(): OutlookTokenVerifier | undefined {
  const raw = process.env.PM_AGENT_OUTLOOK_OIDC;
  if (!raw) return undefined;
  const oidc = OutlookOidcEnvSchema.safeParse(JSON.parse(raw));
  if (!oidc.success) throw new Error('PM_AGENT_OUTLOOK_OIDC must be JSON {"issuer","audience","jwksUri","emailClaim"?,"timeoutMs"?} naming the Entra ID tenant');
  const { jwksUri, timeoutMs, ...config } = oidc.data;
  return outlookTokenVerifier(config, remoteKeys(jwksUri, { timeoutMs }));
}

export async function handler(event: ApiGatewayProxyEvent): Promise<ApiGatewayProxyResult> {
  handle ??= init();
  return handle(event);
}
