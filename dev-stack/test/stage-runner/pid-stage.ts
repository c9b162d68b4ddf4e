import { serveStage } from '@pm-agent/backend/src/stages/host/stage-host';

/** A test-only stage that answers with its own process id. */
serveStage(async () => ({ pid: process.pid }));
