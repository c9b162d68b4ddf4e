import { serveStage } from '@pm-agent/backend/stages';

/** A test-only stage that answers with its own process id. */
serveStage(async () => ({ pid: process.pid }));
