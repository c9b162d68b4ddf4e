/** The approval lifecycle, settings changes and idempotency, as pure decisions over a store: `@pm-agent/backend/domain`. */
export * from './caller';
export * from './problem';
export * from './settings';
export * from './suggestions';
