import { startJiraDouble } from './server';

/**
 * The Jira double on its own (a local stand-in for Jira Cloud REST v3, not Jira):
 *   JIRA_DOUBLE_EMAIL=… JIRA_DOUBLE_TOKEN=… tsx dev-stack/src/jira-double/main.ts
 * Listens on 127.0.0.1:${JIRA_DOUBLE_PORT ?? 8789}; logs one line per request, never credentials.
 */
async function main(): Promise<void> {
  const port = Number(process.env.JIRA_DOUBLE_PORT ?? 8789);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`JIRA_DOUBLE_PORT must be a port number, got "${process.env.JIRA_DOUBLE_PORT}"`);
  const email = process.env.JIRA_DOUBLE_EMAIL;
  const apiToken = process.env.JIRA_DOUBLE_TOKEN;
  if (!email || !apiToken) throw new Error('set JIRA_DOUBLE_EMAIL and JIRA_DOUBLE_TOKEN: the Basic-auth credentials the double will accept');

  const double = await startJiraDouble({ port, email, apiToken, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
  console.log(`Jira double (local stand-in for Jira Cloud REST v3) listening on ${double.url}`);
  console.log(`  try: curl -u "$JIRA_DOUBLE_EMAIL:$JIRA_DOUBLE_TOKEN" ${double.url}/rest/api/3/issue/ABC-123/comment`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the Jira double…`);
    await double.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: Error) => {
  console.error(`Could not start the Jira double: ${e.message}`);
  process.exit(1);
});
