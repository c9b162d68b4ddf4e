import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { verifyChain } from '@pm-agent/backend/store';
import { defaultAuditTableName } from '@pm-agent/backend/store/dynamodb';
import { openStore, type StoreConfig } from '@pm-agent/backend/store';
import { DYNAMODB_LOCAL_CREDENTIALS } from '../dynamodb-local';
import { DEFAULT_HOME } from '../local-stack/local-files';

/**
 * `npm run audit:verify [-- <sqlite file>]` or `npm run audit:verify -- --dynamodb <table>
 * [--audit-table <name>] [--region <region>] [--endpoint <url>]`: recomputes the audit hash chain
 * and says whether it is intact. Exit 0 when intact, 1 when tampered with, 2 when it could not check.
 * Without --region (or AWS_REGION) the table is looked up in DynamoDB Local on 127.0.0.1:8000
 * (DYNAMODB_PORT), where `PM_AGENT_STORE=dynamodb npm start` keeps it.
 */
const USAGE = 'usage: audit:verify [<sqlite file>] | --dynamodb <table> [--audit-table <name>] [--region <region>] [--endpoint <url>]';

export function configFromArgs(argv: string[], env: Record<string, string | undefined>): StoreConfig | string {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      rest.push(a);
      continue;
    }
    const value = argv[i + 1];
    if (!value || value.startsWith('--')) return `${a} needs a value. ${USAGE}`;
    flags.set(a.slice(2), value);
    i += 1;
  }
  const unknown = [...flags.keys()].filter((k) => !['dynamodb', 'audit-table', 'region', 'endpoint'].includes(k));
  if (unknown.length) return `unknown option --${unknown[0]}. ${USAGE}`;
  const table = flags.get('dynamodb');
  if (!table) {
    if (flags.size) return `--${[...flags.keys()][0]} goes with --dynamodb. ${USAGE}`;
    return { kind: 'sqlite', file: rest[0] ?? join(env.PM_AGENT_HOME ?? DEFAULT_HOME, 'pm-agent.sqlite') };
  }
  const region = flags.get('region') ?? env.AWS_REGION ?? 'local';
  const local = region === 'local';
  return {
    kind: 'dynamodb',
    region,
    endpoint: flags.get('endpoint') ?? env.PM_AGENT_DYNAMODB_ENDPOINT ?? (local ? `http://127.0.0.1:${env.DYNAMODB_PORT ?? 8000}` : undefined),
    credentials: local ? DYNAMODB_LOCAL_CREDENTIALS : undefined,
    tables: { main: table, audit: flags.get('audit-table') ?? defaultAuditTableName(table) },
  };
}

async function main(argv: string[]): Promise<number> {
  const config = configFromArgs(argv, process.env);
  if (typeof config === 'string') {
    console.error(config);
    return 2;
  }
  if (config.kind === 'sqlite' && !existsSync(config.file)) {
    console.error(`No store at ${config.file}. Run npm start once, or pass the SQLite file to check.`);
    return 2;
  }
  const store = await openStore(config);
  try {
    const { entries, head } = await store.readAuditChain();
    const report = verifyChain(entries, head);
    if (report.ok) {
      console.log(`Audit trail intact (${store.describe}): ${report.entries} entries, head ${report.head}.`);
      return 0;
    }
    console.error(`Audit trail TAMPERED (${store.describe}; ${report.entries} entries read):`);
    for (const p of report.problems) console.error(`  - ${p}`);
    return 1;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`Could not verify the audit trail: ${e.message}`);
      process.exit(2);
    },
  );
}
