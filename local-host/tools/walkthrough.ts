import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { jiraModule } from '../src/jira';
import { outlookModule } from '../src/outlook';
import { launchChromium } from '../test/support/browser';
import { startLocalStack } from '../src/stack';
import { runWholeFlow } from './whole-flow';

/** `npm run walkthrough`: runs the whole flow on a fresh local stack and saves the README's screenshots. */
async function main(): Promise<void> {
  const out = join(__dirname, '../../docs/walkthrough');
  mkdirSync(out, { recursive: true });
  const stack = await startLocalStack([jiraModule, outlookModule]);
  const browser = await launchChromium();
  try {
    const flow = await runWholeFlow(browser, { backend: stack.backend, hostUrl: stack.host.url }, out);
    console.log(`Done: ${flow.suggestion.id} is ${flow.suggestion.state}; screenshots in ${out}`);
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
