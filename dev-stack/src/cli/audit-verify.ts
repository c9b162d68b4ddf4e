import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HOME } from '../local-stack/local-files';
import { verifyChain } from '@pm-agent/backend/store';
import { SqliteStore } from '@pm-agent/backend/store/sqlite';

/**
 * `npm run audit:verify [-- <sqlite file>]`: recomputes the audit hash chain and says whether it
 * is intact. Exit 0 when intact, 1 when tampered with, 2 when it could not check.
 */
async function main(argv: string[]): Promise<number> {
  const file = argv[0] ?? join(process.env.PM_AGENT_HOME ?? DEFAULT_HOME, 'pm-agent.sqlite');
  if (!existsSync(file)) {
    console.error(`No store at ${file}. Run npm start once, or pass the SQLite file to check.`);
    return 2;
  }
  const store = new SqliteStore(file);
  try {
    const { entries, head } = await store.readAuditChain();
    const report = verifyChain(entries, head);
    if (report.ok) {
      console.log(`Audit trail intact: ${report.entries} entries, head ${report.head}.`);
      return 0;
    }
    console.error(`Audit trail TAMPERED (${report.entries} entries read):`);
    for (const p of report.problems) console.error(`  - ${p}`);
    return 1;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`Could not verify the audit trail: ${e.message}`);
    process.exit(2);
  },
);
