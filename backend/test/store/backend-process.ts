import { startLocalBackend } from '@pm-agent/dev-stack';

/**
 * The local backend as a process of its own, on a DynamoDB Local that is already running, so a
 * test can SIGKILL it (as a crash would) and start it again on the same tables. Test support only.
 * Environment: PM_AGENT_HOME, PM_AGENT_DYNAMODB_ENDPOINT, PM_AGENT_DYNAMODB_TABLE, PM_AGENT_DYNAMODB_AUDIT_TABLE.
 * Prints `listening <url>` once it answers.
 */
async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const backend = await startLocalBackend({
    home: env('PM_AGENT_HOME'),
    store: { kind: 'dynamodb', endpoint: env('PM_AGENT_DYNAMODB_ENDPOINT'), tables: { main: env('PM_AGENT_DYNAMODB_TABLE'), audit: env('PM_AGENT_DYNAMODB_AUDIT_TABLE') } },
    port: 0,
    stages: false,
    seed: true,
  });
  process.on('SIGTERM', () => void backend.close().then(() => process.exit(0)));
  console.log(`listening ${backend.url}`);
}

main().catch((e: Error) => {
  console.error(`backend process could not start: ${e.message}`);
  process.exit(1);
});
