/**
 * Stand-ins for the Forge platform, for tests and for the local host that runs the pages outside
 * Jira: the platform's storage and fetch in memory, and a context shaped like Forge's. The
 * production resolver (src/index.ts) never imports this folder.
 */
export { createMemoryPorts } from './memory-ports';
export type { MemoryPorts } from './memory-ports';
export { forgeContextFor } from './forge-context';
