import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { Suggestion } from '@pm-agent/shared';
import { verifyChain } from '../src/store/audit-chain';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

async function verifyCli(file: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'dev-stack/src/cli/audit-verify.ts'), file], { cwd: ROOT });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('durability and the audit trail', () => {
  let b: TestBackend;
  afterEach(async () => b?.stop());

  it('a restart loses nothing committed', async () => {
    b = await startTestBackend();
    const [first] = ((await (await b.forge('/v1/suggestions?issueKey=ABC-123')).json()) as { items: Suggestion[] }).items;
    const approved = await b.forge(`/v1/suggestions/${first!.id}/approve`, jsonPost({ payloadHash: first!.payloadHash }));
    expect(approved.status).toBe(200);
    const auditBefore = await b.store.readAuditChain();
    await b.stop({ keepHome: true });

    b = await startTestBackend({ home: b.home });
    const after = ((await (await b.forge(`/v1/suggestions/${first!.id}`)).json()) as { suggestion: Suggestion }).suggestion;
    expect(after.state).toBe('approved');
    expect((await b.store.readAuditChain()).entries).toEqual(auditBefore.entries);
    // The seed runs only into an empty store.
    expect(await b.store.countSuggestions()).toBe(4);
  });

  it('the database refuses edits to the audit table outright', async () => {
    b = await startTestBackend();
    await b.stop({ keepHome: true });
    const db = new Database(join(b.home, 'pm-agent.sqlite'));
    expect(() => db.prepare("UPDATE audit SET action = 'x' WHERE seq = 1").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 1').run()).toThrow(/append-only/);
    db.close();
  });

  it('the verify command passes an intact trail and catches an edited, a deleted, and a truncated entry', async () => {
    b = await startTestBackend();
    await b.stop({ keepHome: true });
    const file = join(b.home, 'pm-agent.sqlite');
    const intact = await verifyCli(file);
    expect(intact.code).toBe(0);
    expect(intact.out).toMatch(/Audit trail intact \(SQLite at [^)]+\): \d+ entries/);

    const db = new Database(file);
    db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;'); // what an attacker with file access could do
    const details = JSON.parse(db.prepare('SELECT details FROM audit WHERE seq = 2').pluck().get() as string);
    db.prepare('UPDATE audit SET details = ? WHERE seq = 2').run(JSON.stringify({ ...details, boundary: 'auto' }));
    db.close();
    const edited = await verifyCli(file);
    expect(edited.code).toBe(1);
    expect(edited.out).toMatch(/entry 2 was changed after it was written/);

    const db2 = new Database(file);
    db2.prepare('UPDATE audit SET details = ? WHERE seq = 2').run(JSON.stringify(details));
    db2.prepare('DELETE FROM audit WHERE seq = 3').run();
    db2.close();
    const deleted = await verifyCli(file);
    expect(deleted.code).toBe(1);
    expect(deleted.out).toMatch(/entry 3 is missing/);

    const db3 = new Database(file);
    const last = db3.prepare('SELECT max(seq) FROM audit').pluck().get() as number;
    db3.prepare('DELETE FROM audit WHERE seq >= 3').run();
    db3.close();
    const truncated = await verifyCli(file);
    expect(truncated.code).toBe(1);
    expect(truncated.out).toContain(`recorded head is entry ${last}`);
  }, 120_000);

  it('verifyChain accepts an empty trail with no head', () => {
    expect(verifyChain([], null)).toEqual({ ok: true, entries: 0, head: '0'.repeat(64) });
  });
});
