import { serveStage } from '../host/stage-host';
import { classifyWork } from './work';

/**
 * The classify stage process. It sees only sanitise's structured hand-over, never the email's
 * raw text, and holds only the model key (see work.ts).
 */
const apiKey = process.env.ANTHROPIC_API_KEY;

serveStage((input) => classifyWork(input, apiKey));
