import { startLocalBackend } from './local-backend';

/** `npm start`: the local stack on 127.0.0.1:8787 (PORT overrides), until Ctrl-C. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const jiraPort = Number(process.env.JIRA_DOUBLE_PORT ?? 8789);
  const backend = await startLocalBackend({
    port,
    jiraPort,
    stages: true,
    home: process.env.PM_AGENT_HOME,
    log: (line) => console.log(`${new Date().toISOString()} ${line}`),
  });
  console.log(`PM agent backend (local mode) listening on ${backend.url}`);
  console.log(`  health:      ${backend.url}/v1/health`);
  console.log(`  credentials: ${backend.files.credentialsFile} (SigV4 keys for the forge and agent principals)`);
  console.log(`  Jira double: ${backend.jira?.url} (a local stand-in for Jira Cloud; see what it received at /rest/api/3/issue/ABC-123/comment)`);
  console.log(`  triage:      ${process.env.ANTHROPIC_API_KEY || backend.files.stageSecrets.ANTHROPIC_API_KEY ? 'Claude (ANTHROPIC_API_KEY is set)' : 'offline classifier (no ANTHROPIC_API_KEY)'}`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    await backend.close();
    console.log('Stopped cleanly.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e: Error) => {
  console.error(`Could not start the local stack: ${e.message}`);
  process.exit(1);
});
