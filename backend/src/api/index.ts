/** The API process, for hosts that run it (the Lambda entry, the dev stack): `@pm-agent/backend/api`. */
export * from './http/app';
export * from './http/body';
export * from './http/context';
export * from './http/node-server';
export * from './http/responses';
export * from './auth/authenticator';
export * from './execute/dispatcher';
export * from './triage/model-settings';
