import { startLocalBackend } from '@pm-agent/dev-stack';
import type { LocalStoreChoice } from '@pm-agent/dev-stack';
import { startLocalHost } from './host';
import { MODULES } from './modules';

/**
 * `npm start`: the whole local stack. The backend on 127.0.0.1:8787 (PORT), the Jira double on
 * 8789 (JIRA_DOUBLE_PORT), the stage processes, and the local host with the panels on 8788
 * (LOCAL_HOST_PORT). Ctrl-C stops everything. PM_AGENT_STORE=dynamodb runs the store on Amazon's
 * DynamoDB Local on 127.0.0.1:8000 (DYNAMODB_PORT) with its data under .local/dynamodb.
 */
function port(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number, got "${process.env[name]}"`);
  return value;
}

function storeChoice(): LocalStoreChoice {
  const kind = process.env.PM_AGENT_STORE ?? 'sqlite';
  if (kind === 'sqlite') return { kind };
  if (kind === 'dynamodb') return { kind, port: port('DYNAMODB_PORT', 8000) };
  throw new Error(`PM_AGENT_STORE must be sqlite (the default) or dynamodb, got "${kind}"`);
}

async function main(): Promise<void> {
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const hostPort = port('LOCAL_HOST_PORT', 8788);
  const backend = await startLocalBackend({
    store: storeChoice(),
    port: port('PORT', 8787),
    jiraPort: port('JIRA_DOUBLE_PORT', 8789),
    stages: true,
    home: process.env.PM_AGENT_HOME,
    corsOrigins: [`http://127.0.0.1:${hostPort}`, `http://localhost:${hostPort}`],
    log,
  });
  const host = await startLocalHost({ port: hostPort, factories: MODULES, context: { backend, home: backend.files.home, log } }).catch(async (e: Error) => {
    await backend.close();
    throw e;
  });

  console.log(`PM agent local stack is up.`);
  console.log(`  backend API:  ${backend.url}   (health: ${backend.url}/v1/health)`);
  console.log(`  Jira double:  ${backend.jira?.url}   (a local stand-in for Jira Cloud)`);
  console.log(`  local host:   ${host.url}`);
  console.log(`  store:        ${backend.store.describe}`);
  for (const m of host.modules) for (const d of m.describe) console.log(`    ${host.url}${d.path}  ${d.what}`);
  console.log(`  credentials:  ${backend.files.credentialsFile}`);
  console.log(`  triage:       ${process.env.ANTHROPIC_API_KEY || backend.files.stageSecrets.ANTHROPIC_API_KEY ? 'Claude (ANTHROPIC_API_KEY is set)' : 'offline classifier (no ANTHROPIC_API_KEY)'}`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    await host.close();
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
