/** What crosses between the API process and the stages (schemas checked on both sides): `@pm-agent/backend/contracts`. */
export * from './execute-job';
export * from './stage-io';
