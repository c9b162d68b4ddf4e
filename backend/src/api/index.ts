/**
 * `@pm-agent/backend/api`: the API process, for hosts that run it (the Lambda entry, the dev stack)
 * and stand-ins that play its gateway. Other packages import the API only from here.
 */
export * from './http/app';
export * from './http/body';
export * from './http/context';
export * from './http/node-server';
export * from './http/responses';
export * from './auth/authenticator';
export * from './auth/identify';
export * from './auth/outlook-token';
export * from './execute/dispatcher';
export * from './triage/model-settings';
export type { TriageStage } from './triage/pipeline';
