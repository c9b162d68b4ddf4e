import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS, SettingsSchema, upgradeSettingsDoc, type Actor, type AuditEntry, type ListSuggestionsQuery, type SettingsView, type Suggestion, type Triage } from '@pm-agent/shared';
import { chainDrafts } from '../audit-chain';
import { decodeCursor, encodeCursor } from '../cursor';
import {
  ConditionFailed,
  assertChangeFits,
  type AuditHead,
  type ChangeSet,
  type Check,
  type Committed,
  type IdempotentRecord,
  type ModelUsage,
  type OutboxEntry,
  type Page,
  type PageRequest,
  type PauseInterval,
  type Store,
  type SuggestionQuery,
  type Write,
} from '../store';
import { migrate } from './migrations';

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const DEFAULT_PAGE = 200;

/**
 * The store holds approvals, settings and the audit trail: readable by its owner only. Created with
 * mode 0600 (SQLite gives its -wal and -shm files the database file's mode); an older, wider file is
 * narrowed.
 */
function ownerOnly(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * The local store: one SQLite file, WAL, fully synced commits so a restart loses nothing
 * committed. A change set is one SQLite transaction: every condition is checked inside it, and a
 * failed one rolls the whole transaction back.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  readonly describe: string;

  constructor(file: string) {
    if (file !== ':memory:' && file !== '') ownerOnly(file);
    this.describe = `SQLite at ${file}`;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
  }

  // ---- reads ------------------------------------------------------------------------------------

  async getSuggestion(id: string): Promise<Suggestion | null> {
    const doc = this.db.prepare('SELECT doc FROM suggestions WHERE id = ?').pluck().get(id) as string | undefined;
    return doc ? (JSON.parse(doc) as Suggestion) : null;
  }

  async listSuggestions(q: SuggestionQuery & { limit?: number }): Promise<Suggestion[]> {
    return (await this.pageSuggestions(q)).items;
  }

  async pageSuggestions(q: SuggestionQuery & PageRequest): Promise<Page<Suggestion>> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.issueKey) (where.push('issue_key = ?'), args.push(q.issueKey));
    if (q.state) (where.push('state = ?'), args.push(q.state));
    if (q.mailbox !== undefined) (where.push("json_extract(doc, '$.mailbox') = ?"), args.push(q.mailbox));
    const after = q.cursor ? decodeCursor(q.cursor, 2) : null;
    if (after) (where.push('(created_at < ? OR (created_at = ? AND id < ?))'), args.push(after[0], after[0], after[1]));
    const limit = q.limit ?? DEFAULT_PAGE;
    const sql = `SELECT doc FROM suggestions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
    const items = (this.db.prepare(sql).pluck().all(...args, limit + 1) as string[]).map((d) => JSON.parse(d) as Suggestion);
    return page(items, limit, (s) => [s.createdAt, s.id]);
  }

  async countSuggestions(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM suggestions').pluck().get() as number;
  }

  async listRunnable(now: string, limit: number): Promise<Suggestion[]> {
    const docs = this.db
      .prepare(
        `SELECT doc FROM (
           SELECT doc, created_at FROM suggestions WHERE state = 'approved'
           UNION ALL SELECT doc, created_at FROM suggestions WHERE state = 'scheduled' AND run_at <= ?
         ) ORDER BY created_at LIMIT ?`,
      )
      .pluck()
      .all(now, limit) as string[];
    return docs.map((d) => JSON.parse(d) as Suggestion);
  }

  async listScheduled(p: PageRequest): Promise<Page<Suggestion>> {
    const after = p.cursor ? decodeCursor(p.cursor, 2) : null;
    const limit = p.limit ?? DEFAULT_PAGE;
    const docs = after
      ? this.db.prepare(`SELECT doc FROM suggestions WHERE state = 'scheduled' AND (run_at > ? OR (run_at = ? AND id > ?)) ORDER BY run_at, id LIMIT ?`).pluck().all(after[0], after[0], after[1], limit + 1)
      : this.db.prepare(`SELECT doc FROM suggestions WHERE state = 'scheduled' ORDER BY run_at, id LIMIT ?`).pluck().all(limit + 1);
    return page((docs as string[]).map((d) => JSON.parse(d) as Suggestion), limit, (s) => [s.runAt ?? '', s.id]);
  }

  async getSettings(): Promise<SettingsView> {
    const row = this.db.prepare('SELECT version, doc, updated_at, updated_by FROM settings WHERE id = 1').get() as
      | { version: number; doc: string; updated_at: string; updated_by: string }
      | undefined;
    if (!row) return { settings: DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null };
    // Stored settings passed the schema when written; parse again so a hand-edited file cannot loosen anything. Settings stored before approvers were people upgrade here.
    return { settings: SettingsSchema.parse(upgradeSettingsDoc(JSON.parse(row.doc))), version: row.version, updatedAt: row.updated_at, updatedBy: JSON.parse(row.updated_by) as Actor };
  }

  async getPauses(): Promise<{ version: number; pauses: PauseInterval[] }> {
    const row = this.db.prepare('SELECT version, pauses FROM settings WHERE id = 1').get() as { version: number; pauses: string } | undefined;
    return row ? { version: row.version, pauses: JSON.parse(row.pauses) as PauseInterval[] } : { version: 0, pauses: [] };
  }

  async recallIdempotent(scope: string, key: string): Promise<IdempotentRecord | null> {
    const row = this.db.prepare('SELECT fingerprint, status, body, created_at FROM idempotency WHERE scope = ? AND key = ?').get(scope, key) as
      | { fingerprint: string; status: number; body: string; created_at: string }
      | undefined;
    return row ? { fingerprint: row.fingerprint, status: row.status, body: JSON.parse(row.body) as unknown, at: row.created_at } : null;
  }

  async getTriage(messageKey: string): Promise<Triage | null> {
    const latest = this.db.prepare('SELECT doc FROM triage_revisions WHERE message_key = ? ORDER BY revision DESC LIMIT 1').pluck().get(messageKey) as string | undefined;
    const doc = latest ?? (this.db.prepare('SELECT doc FROM triages WHERE message_key = ?').pluck().get(messageKey) as string | undefined);
    return doc ? (JSON.parse(doc) as Triage) : null;
  }

  async listTriageRevisions(messageKey: string): Promise<Triage[]> {
    const read = this.db.transaction(() => [
      ...(this.db.prepare('SELECT doc FROM triages WHERE message_key = ?').pluck().all(messageKey) as string[]),
      ...(this.db.prepare('SELECT doc FROM triage_revisions WHERE message_key = ? ORDER BY revision').pluck().all(messageKey) as string[]),
    ]);
    return read().map((d) => JSON.parse(d) as Triage);
  }

  /** The message's latest revision: 0 when it has no triage. */
  private triageRevision(messageKey: string): number {
    const latest = this.db.prepare('SELECT max(revision) FROM triage_revisions WHERE message_key = ?').pluck().get(messageKey) as number | null;
    return latest ?? (this.db.prepare('SELECT 1 FROM triages WHERE message_key = ?').pluck().get(messageKey) ? 1 : 0);
  }

  async getOutbox(suggestionId: string): Promise<OutboxEntry | null> {
    const row = this.db.prepare('SELECT * FROM outbox WHERE suggestion_id = ?').get(suggestionId) as OutboxRow | undefined;
    return row ? toOutboxEntry(row) : null;
  }

  async listOutbox(state: OutboxEntry['state'], p: PageRequest = {}): Promise<Page<OutboxEntry>> {
    const after = p.cursor ? decodeCursor(p.cursor, 2) : null;
    const limit = p.limit ?? DEFAULT_PAGE;
    const rows = (
      after
        ? this.db.prepare('SELECT * FROM outbox WHERE state = ? AND (claimed_at > ? OR (claimed_at = ? AND suggestion_id > ?)) ORDER BY claimed_at, suggestion_id LIMIT ?').all(state, after[0], after[0], after[1], limit + 1)
        : this.db.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY claimed_at, suggestion_id LIMIT ?').all(state, limit + 1)
    ) as OutboxRow[];
    return page(rows.map(toOutboxEntry), limit, (e) => [e.claimedAt, e.suggestionId]);
  }

  async getModelUsage(day: string): Promise<ModelUsage> {
    const row = this.db.prepare('SELECT calls, input_tokens, output_tokens FROM model_usage WHERE day = ?').get(day) as
      | { calls: number; input_tokens: number; output_tokens: number }
      | undefined;
    return { day, calls: row?.calls ?? 0, inputTokens: row?.input_tokens ?? 0, outputTokens: row?.output_tokens ?? 0 };
  }

  async getAuditHead(): Promise<AuditHead | null> {
    return (this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined) ?? null;
  }

  async listAudit(after: number, limit: number): Promise<AuditEntry[]> {
    const rows = this.db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit) as AuditRow[];
    return rows.map(toAuditEntry);
  }

  async readAuditChain(): Promise<{ entries: AuditEntry[]; head: AuditHead | null }> {
    const read = this.db.transaction(() => ({ rows: this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[], head: this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined }));
    const { rows, head } = read();
    return { entries: rows.map(toAuditEntry), head: head ?? null };
  }

  // ---- the one write ----------------------------------------------------------------------------

  async commit(changes: ChangeSet): Promise<Committed> {
    assertChangeFits(changes);
    const run = this.db.transaction((c: ChangeSet) => {
      const failed: string[] = [];
      for (const check of c.checks ?? []) if (!this.holds(check)) failed.push(describeCheck(check));
      for (const w of c.writes) {
        const problem = this.write(w);
        if (problem) failed.push(problem);
      }
      if (failed.length) throw new ConditionFailed(failed); // rolls back every write above
      const entries = chainDrafts(this.headNow(), c.audit ?? []);
      const append = this.db.prepare('INSERT INTO audit (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const e of entries) append.run(e.seq, e.at, JSON.stringify(e.actor), e.action, e.subject, JSON.stringify(e.details), e.prevHash, e.hash);
      const last = entries.at(-1);
      if (last) this.db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash').run(last.seq, last.hash);
      return { audit: entries };
    });
    return run.immediate(changes);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private headNow(): AuditHead | null {
    return (this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined) ?? null;
  }

  private holds(check: Check): boolean {
    if (check.kind === 'settingsVersion') return this.settingsVersion() === check.version;
    if (check.kind === 'triageRevision') return Math.max(this.triageRevision(check.messageKey), 1) === check.revision;
    return (this.db.prepare('SELECT version FROM suggestions WHERE id = ?').pluck().get(check.id) ?? null) === check.version;
  }

  private settingsVersion(): number {
    return (this.db.prepare('SELECT version FROM settings WHERE id = 1').pluck().get() as number | undefined) ?? 0;
  }

  /** Applies one write if its condition holds; otherwise says which condition failed. */
  private write(w: Write): string | null {
    const db = this.db;
    switch (w.kind) {
      case 'suggestion': {
        const s = w.value;
        if (w.expectedVersion === null) {
          const r = db.prepare('INSERT INTO suggestions (id, issue_key, state, created_at, version, run_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING');
          return r.run(s.id, s.issueKey, s.state, s.createdAt, s.version, s.runAt, JSON.stringify(s)).changes === 1 ? null : `suggestion ${s.id} already exists`;
        }
        const r = db.prepare('UPDATE suggestions SET state = ?, version = ?, run_at = ?, doc = ? WHERE id = ? AND version = ?');
        return r.run(s.state, s.version, s.runAt, JSON.stringify(s), s.id, w.expectedVersion).changes === 1 ? null : `suggestion ${s.id} is no longer version ${w.expectedVersion}`;
      }
      case 'settings': {
        const v = w.value;
        if (this.settingsVersion() !== v.version - 1) return `settings are no longer version ${v.version - 1}`;
        db.prepare(
          `INSERT INTO settings (id, version, doc, updated_at, updated_by, pauses) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc, updated_at = excluded.updated_at, updated_by = excluded.updated_by, pauses = excluded.pauses`,
        ).run(v.version, JSON.stringify(v.settings), v.updatedAt, JSON.stringify(v.updatedBy), JSON.stringify(w.pauses));
        return null;
      }
      case 'idempotency': {
        const r = db.prepare('INSERT INTO idempotency (scope, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
        return r.run(w.scope, w.key, w.record.fingerprint, w.record.status, JSON.stringify(w.record.body), w.record.at).changes === 1 ? null : `idempotency key already used`;
      }
      case 'triage': {
        const r = db.prepare('INSERT INTO triages (message_key, created_at, doc) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
        return r.run(w.value.messageKey, w.value.createdAt, JSON.stringify(w.value)).changes === 1 ? null : `triage ${w.value.messageKey} already exists`;
      }
      case 'retriage': {
        const t = w.value;
        if (t.revision !== w.replaces + 1) throw new Error(`triage ${t.messageKey}: revision ${t.revision} does not follow ${w.replaces}`);
        if (this.triageRevision(t.messageKey) !== w.replaces) return `triage ${t.messageKey} is no longer at revision ${w.replaces}`;
        db.prepare('INSERT INTO triage_revisions (message_key, revision, created_at, doc) VALUES (?, ?, ?, ?)').run(t.messageKey, t.revision, t.createdAt, JSON.stringify(t));
        return null;
      }
      case 'outbox': {
        const e = w.value;
        if (w.expected === null) {
          const r = db.prepare('INSERT INTO outbox (suggestion_id, state, attempts, claimed_at, last_error) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING');
          return r.run(e.suggestionId, e.state, e.attempts, e.claimedAt, e.lastError).changes === 1 ? null : `outbox row ${e.suggestionId} already exists`;
        }
        const r = db.prepare('UPDATE outbox SET state = ?, attempts = ?, claimed_at = ?, last_error = ? WHERE suggestion_id = ? AND state = ? AND attempts = ?');
        return r.run(e.state, e.attempts, e.claimedAt, e.lastError, e.suggestionId, w.expected.state, w.expected.attempts).changes === 1 ? null : `outbox row ${e.suggestionId} changed`;
      }
      case 'modelUsage':
        db.prepare(
          `INSERT INTO model_usage (day, calls, input_tokens, output_tokens) VALUES (?, ?, ?, ?)
           ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`,
        ).run(w.day, w.add.calls, w.add.inputTokens, w.add.outputTokens);
        return null;
    }
  }
}

const CHECK_WORDS: { [K in Check['kind']]: (c: Extract<Check, { kind: K }>) => string } = {
  settingsVersion: (c) => `settings are no longer version ${c.version}`,
  suggestionVersion: (c) => `suggestion ${c.id} is no longer version ${c.version}`,
  triageRevision: (c) => `triage ${c.messageKey} is no longer at revision ${c.revision}`,
};

function describeCheck(c: Check): string {
  return (CHECK_WORDS[c.kind] as (c: Check) => string)(c);
}

/** Takes one row more than the page to know whether another page follows. */
function page<T>(rows: T[], limit: number, key: (t: T) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit && items.length ? encodeCursor(key(items.at(-1)!)) : null };
}

interface OutboxRow {
  suggestion_id: string;
  state: OutboxEntry['state'];
  attempts: number;
  claimed_at: string;
  last_error: string | null;
}

function toOutboxEntry(r: OutboxRow): OutboxEntry {
  return { suggestionId: r.suggestion_id, state: r.state, attempts: r.attempts, claimedAt: r.claimed_at, lastError: r.last_error };
}

function toAuditEntry(r: AuditRow): AuditEntry {
  return {
    seq: r.seq,
    at: r.at,
    actor: JSON.parse(r.actor) as AuditEntry['actor'],
    action: r.action,
    subject: r.subject,
    details: JSON.parse(r.details) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
