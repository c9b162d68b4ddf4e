import { startLocalBackend } from './local-backend';

/** `npm start`: the local stack on 127.0.0.1:8787 (PORT overrides), until Ctrl-C. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
  const backend = await startLocalBackend({ port, home: process.env.PM_AGENT_HOME, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
  console.log(`PM agent backend (local mode) listening on ${backend.url}`);
  console.log(`  health:      ${backend.url}/v1/health`);
  console.log(`  credentials: ${backend.files.credentialsFile} (SigV4 keys for the forge and agent principals)`);
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
