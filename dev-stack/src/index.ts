/**
 * `@pm-agent/dev-stack`: the whole backend on one machine with its local stand-ins. Never imported
 * by production code (`npm run lint` checks it; tools/test/production-bundles.test.ts checks the bundles).
 */
export * from './local-stack/local-backend';
export * from './local-stack/local-files';
export * from './local-stack/seed';
export * from './local-stack/local-store';
