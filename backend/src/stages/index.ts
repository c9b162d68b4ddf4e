import { join } from 'node:path';

/**
 * `@pm-agent/backend/stages`: what a stage runner needs to start the stages as processes. Each
 * entry is the stage's whole program; a runner bundles it and gives it only its own secret.
 */
export const STAGE_ENTRIES = {
  sanitise: join(__dirname, 'sanitise/main.ts'),
  classify: join(__dirname, 'classify/main.ts'),
  execute: join(__dirname, 'execute/main.ts'),
} as const;

export * from './host/protocol';
export * from './host/egress-protocol';
export { serveStage } from './host/stage-host';
/** The only origin a triage stage's relayed fetch may reach. */
export { ANTHROPIC_API_URL } from './model/config';
