import { startLocalBackend } from '@pm-agent/dev-stack/src/local-stack/local-backend';

/**
 * A child process for the kill-during-burst test: the local backend on DynamoDB (a DynamoDB Local
 * the test runs), no stages. Prints its URL, then serves until it is killed.
 */
async function main(): Promise<void> {
  const [home, endpoint, main, audit] = process.argv.slice(2) as [string, string, string, string];
  const b = await startLocalBackend({ home, port: 0, stages: false, store: { kind: 'dynamodb', endpoint, tables: { main, audit } } });
  process.stdout.write(`READY ${b.url}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
