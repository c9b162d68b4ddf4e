/** The store contract and the audit chain: `@pm-agent/backend/store`. Implementations have their own entries. */
export * from './store';
export * from './audit-chain';
export * from './open-store';
