import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkAgainstAnchor } from '@pm-agent/backend/store';
import { ANCHOR_FILE, FileAnchor } from '../audit-anchor';
import { verifyChain } from '@pm-agent/backend/store';
import { defaultAuditTableName } from '@pm-agent/backend/store/dynamodb';
import { openStore, type StoreConfig } from '@pm-agent/backend/store';
import type { Store } from '@pm-agent/backend/store';
import { DYNAMODB_LOCAL_CREDENTIALS } from '../dynamodb-local';
import { DEFAULT_HOME } from '../local-stack/local-files';

/**
 * `npm run audit:verify [-- <sqlite file>]` or `npm run audit:verify -- --dynamodb <table>
 * [--audit-table <name>] [--region <region>] [--endpoint <url>]`: recomputes the audit hash chain
 * and says whether it is intact. Exit 0 when intact, 1 when tampered with, 2 when it could not check.
 * Without --region (or AWS_REGION) the table is looked up in DynamoDB Local on 127.0.0.1:8000
 * (DYNAMODB_PORT), where `PM_AGENT_STORE=dynamodb npm start` keeps it.
 */
const USAGE = 'usage: audit:verify [<sqlite file>] | --dynamodb <table> [--audit-table <name>] [--region <region>] [--endpoint <url>]; and --anchor <audit-anchor.jsonl> (default: beside the SQLite file, or in .local/)';

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

export type TrailReport = { ok: true; entries: number; head: string } | { ok: false; entries: number; problems: string[] };

/**
 * Recomputes the chain and checks it against the heads published to the anchor outside the store
 * (`audit-anchor.jsonl`, signed with `audit-anchor.key` beside it): a store writer can recompute
 * hashes, but cannot make the chain agree with what was published before.
 */
export async function verifyAuditTrail(store: Store, anchorFile: string): Promise<TrailReport> {
  const { entries, head } = await store.readAuditChain();
  const chain = verifyChain(entries, head);
  const keyFile = anchorFile.replace(/\.jsonl$/, '') + '.key';
  const problems = chain.ok ? [] : [...chain.problems];
  if (!existsSync(keyFile)) {
    problems.push(`there is no anchor key at ${keyFile}, so the trail cannot be checked against what was published outside the store`);
  } else {
    const anchor = new FileAnchor(anchorFile, keyFile);
    const published = await anchor.read();
    if (!published.length && entries.length) problems.push(`${anchor.describe} is empty or missing although the trail has ${entries.length} entries`);
    problems.push(...checkAgainstAnchor(entries, published, anchor));
  }
  return problems.length ? { ok: false, entries: entries.length, problems } : { ok: true, entries: entries.length, head: chain.ok ? chain.head : '' };
}

async function main(argv: string[]): Promise<number> {
  const at = argv.indexOf('--anchor');
  const flagAnchor = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0) argv = [...argv.slice(0, at), ...argv.slice(at + 2)];
  const config = configFromArgs(argv, process.env);
  if (typeof config === 'string') {
    console.error(config);
    return 2;
  }
  if (config.kind === 'sqlite' && !existsSync(config.file)) {
    console.error(`No store at ${config.file}. Run npm start once, or pass the SQLite file to check.`);
    return 2;
  }
  const anchorFile = flagAnchor ?? join(config.kind === 'sqlite' ? dirname(config.file) : (process.env.PM_AGENT_HOME ?? DEFAULT_HOME), ANCHOR_FILE);
  const store = await openStore(config);
  try {
    const report = await verifyAuditTrail(store, anchorFile);
    if (report.ok) {
      console.log(`Audit trail intact: ${report.entries} entries, head ${report.head} (${store.describe}).`);
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
