import { serveStage } from '../host/stage-host';
import { sanitiseWork } from './work';

/**
 * The sanitise stage process: the only code that sees the email's raw text (see work.ts).
 */
const apiKey = process.env.ANTHROPIC_API_KEY;

serveStage((input) => sanitiseWork(input, apiKey));
