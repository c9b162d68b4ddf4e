import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { verifyAuditTrail, type TrailReport } from '@pm-agent/dev-stack/audit-verify';
import { startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/dynamodb-local';
import { chainEntry, GENESIS_HASH } from '../src/store/audit-chain';
import type { Store } from '../src/store/store';
import { startTestBackend, type TestBackend } from './support/local-backend';

/**
 * The audit chain is anchored outside the store: whoever can write the store (the SQLite file, the
 * DynamoDB tables) can recompute hashes, but cannot make the chain agree with the heads published
 * to the anchor. Each tampering below verified as intact before anchoring.
 */
const run = promisify(execFile);
const problemsOf = (r: TrailReport) => (r.ok ? '' : r.problems.join('\n'));
const ROOT = join(__dirname, '../..');

async function verifyCli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'dev-stack/src/cli/audit-verify.ts'), ...args], { cwd: ROOT });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
}

/** Rewrites the whole trail from `rows`, hashes recomputed, head moved: all a store writer can do. */
function rewriteSqlite(db: Database.Database, rows: Row[]): void {
  db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM audit; DELETE FROM audit_head;');
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const e = chainEntry({ at: r.at, actor: JSON.parse(r.actor), action: r.action, subject: r.subject, details: JSON.parse(r.details) }, r.seq, prev);
    db.prepare('INSERT INTO audit (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(e.seq, e.at, r.actor, e.action, e.subject, r.details, e.prevHash, e.hash);
    prev = e.hash;
  }
  const last = rows.at(-1);
  if (last) db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?)').run(last.seq, prev);
}

describe('the audit anchor (SQLite, through npm run audit:verify)', () => {
  let b: TestBackend;
  let file: string;
  let original: Row[];
  beforeAll(async () => {
    b = await startTestBackend();
    await b.stop({ keepHome: true });
    file = join(b.home, 'pm-agent.sqlite');
    const db = new Database(file, { readonly: true });
    original = db.prepare('SELECT seq, at, actor, action, subject, details FROM audit ORDER BY seq').all() as Row[];
    db.close();
    expect(original.length).toBeGreaterThan(3);
  }, 60_000);
  afterAll(() => b.stop());
  const tamper = (rows: Row[]) => {
    const db = new Database(file);
    rewriteSqlite(db, rows);
    db.close();
  };

  it('passes the untouched trail, then fails each of: tail cut with the head moved, every entry deleted, everything rewritten with recomputed hashes', async () => {
    expect((await verifyCli([file])).code).toBe(0);

    tamper(original.slice(0, 2));
    const cut = await verifyCli([file]);
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(/ends at entry 2, but .* reached entry \d+: entries at the end were removed/);

    tamper([]);
    const emptied = await verifyCli([file]);
    expect(emptied.code).toBe(1);
    expect(emptied.out).toMatch(/every entry was deleted/);

    tamper(original.map((r) => (r.seq === 2 ? { ...r, details: JSON.stringify({ ...JSON.parse(r.details), boundary: 'auto' }) } : r)));
    const rewritten = await verifyCli([file]);
    expect(rewritten.code).toBe(1);
    expect(rewritten.out).toMatch(/the trail was rewritten/);

    tamper(original);
    expect((await verifyCli([file])).code).toBe(0);
  }, 120_000);
});

describe('the audit anchor (DynamoDB Local)', () => {
  let local: DynamoDbLocal;
  let b: TestBackend;
  let store: Store;
  beforeAll(async () => {
    local = await startDynamoDbLocal({});
    b = await startTestBackend({ store: { kind: 'dynamodb', endpoint: local.endpoint } });
    store = b.store;
  }, 90_000);
  afterAll(async () => {
    await b?.stop();
    await local?.stop();
  });

  it('fails on a tail cut with the head moved, on an emptied trail, and on a rewrite with recomputed hashes', async () => {
    const anchorFile = join(b.home, 'audit-anchor.jsonl');
    expect((await verifyAuditTrail(store, anchorFile)).ok).toBe(true);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'local', endpoint: local.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const tables = b.storeTables!;
    const items = ((await doc.send(new QueryCommand({ TableName: tables.audit, KeyConditionExpression: 'chain = :c', ExpressionAttributeValues: { ':c': 'main' } }))).Items ?? []) as Array<Record<string, unknown> & { seq: number }>;
    const rewrite = async (keep: typeof items, edit?: (i: Record<string, unknown>) => Record<string, unknown>) => {
      for (const i of items) await doc.send(new DeleteCommand({ TableName: tables.audit, Key: { chain: 'main', seq: i.seq } }));
      let prev = GENESIS_HASH;
      for (const raw of keep) {
        const i = edit ? edit(raw) : raw;
        const e = chainEntry({ at: i.at as string, actor: JSON.parse(i.actor as string), action: i.action as string, subject: i.subject as string, details: JSON.parse(i.details as string) }, i.seq as number, prev);
        await doc.send(new PutCommand({ TableName: tables.audit, Item: { ...i, prevHash: e.prevHash, hash: e.hash } }));
        prev = e.hash;
      }
      if (keep.length) await doc.send(new PutCommand({ TableName: tables.main, Item: { pk: 'AUDIT_HEAD', kind: 'auditHead', seq: keep.at(-1)!.seq, hash: prev } }));
      else await doc.send(new DeleteCommand({ TableName: tables.main, Key: { pk: 'AUDIT_HEAD' } }));
    };

    await rewrite(items.slice(0, 2));
    const cut = await verifyAuditTrail(store, anchorFile);
    expect(cut.ok).toBe(false);
    expect(problemsOf(cut)).toMatch(/entries at the end were removed/);

    await rewrite([]);
    expect(problemsOf(await verifyAuditTrail(store, anchorFile))).toMatch(/every entry was deleted/);

    await rewrite(items, (i) => (i.seq === 2 ? { ...i, details: JSON.stringify({ ...JSON.parse(i.details as string), boundary: 'auto' }) } : i));
    expect(problemsOf(await verifyAuditTrail(store, anchorFile))).toMatch(/the trail was rewritten/);

    await rewrite(items);
    expect((await verifyAuditTrail(store, anchorFile)).ok).toBe(true);
    doc.destroy();
  }, 120_000);
});
