/** `@pm-agent/backend/contracts`: what crosses between the API process and the stages (schemas checked on both sides). */
export * from './execute-job';
export * from './stage-io';
