/** `@pm-agent/backend/domain`: the approval lifecycle, settings changes and idempotency, as decisions over a store. */
export * from './caller';
export * from './problem';
export * from './settings';
export * from './suggestions';
