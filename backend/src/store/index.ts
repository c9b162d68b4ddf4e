/** `@pm-agent/backend/store`: the store contract, the audit chain and its anchor, and the store chosen by configuration. Implementations have their own entries. */
export * from './store';
export * from './audit-chain';
export * from './audit-anchor';
export * from './anchored-store';
export * from './open-store';
