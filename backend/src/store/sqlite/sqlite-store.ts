import Database from 'better-sqlite3';
import {
  DEFAULT_SETTINGS,
  SettingsSchema,
  type Actor,
  type AuditEntry,
  type ListSuggestionsQuery,
  type Settings,
  type SettingsView,
  type Suggestion,
  type Triage,
} from '@pm-agent/shared';
import { GENESIS_HASH, chainEntry } from '../audit-chain';
import { VersionConflict, type AuditDraft, type AuditHead, type IdempotentRecord, type ModelUsage, type OutboxEntry, type Store, type StoreTx, type SuggestionQuery } from '../store';
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

/** The local store: one SQLite file, WAL, fully synced commits so a restart loses nothing committed. */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly tx: StoreTx;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.tx = this.makeTx();
  }

  /** better-sqlite3 is synchronous, so a transaction runs to completion before any other request is served. */
  async transaction<T>(work: (tx: StoreTx) => T): Promise<T> {
    return this.db.transaction(() => work(this.tx)).immediate();
  }

  async getSuggestion(id: string): Promise<Suggestion | null> {
    return this.tx.getSuggestion(id);
  }

  async listSuggestions(q: SuggestionQuery): Promise<Suggestion[]> {
    return this.tx.listSuggestions(q);
  }

  async countSuggestions(): Promise<number> {
    return this.db.prepare('SELECT count(*) FROM suggestions').pluck().get() as number;
  }

  async getSettings(): Promise<SettingsView> {
    return this.tx.getSettings();
  }

  async getTriage(messageKey: string): Promise<Triage | null> {
    return this.tx.getTriage(messageKey);
  }

  async listRunnable(now: string, limit: number): Promise<Suggestion[]> {
    const docs = this.db
      .prepare(
        `SELECT doc FROM suggestions WHERE state = 'approved'
         OR (state = 'scheduled' AND json_extract(doc, '$.runAt') <= ?) ORDER BY created_at LIMIT ?`,
      )
      .pluck()
      .all(now, limit) as string[];
    return docs.map((d) => JSON.parse(d) as Suggestion);
  }

  async listOutbox(state: OutboxEntry['state']): Promise<OutboxEntry[]> {
    const rows = this.db.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY claimed_at').all(state) as OutboxRow[];
    return rows.map(toOutboxEntry);
  }

  async getModelUsage(day: string): Promise<ModelUsage> {
    const row = this.db.prepare('SELECT calls, input_tokens, output_tokens FROM model_usage WHERE day = ?').get(day) as
      | { calls: number; input_tokens: number; output_tokens: number }
      | undefined;
    return { day, calls: row?.calls ?? 0, inputTokens: row?.input_tokens ?? 0, outputTokens: row?.output_tokens ?? 0 };
  }

  async listAudit(after: number, limit: number): Promise<AuditEntry[]> {
    const rows = this.db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(after, limit) as AuditRow[];
    return rows.map(toAuditEntry);
  }

  async readAuditChain(): Promise<{ entries: AuditEntry[]; head: AuditHead | null }> {
    const rows = this.db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[];
    const head = (this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined) ?? null;
    return { entries: rows.map(toAuditEntry), head };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private makeTx(): StoreTx {
    const db = this.db;
    const q = {
      getSuggestion: db.prepare('SELECT doc FROM suggestions WHERE id = ?').pluck(),
      insertSuggestion: db.prepare('INSERT INTO suggestions (id, issue_key, state, created_at, version, doc) VALUES (?, ?, ?, ?, ?, ?)'),
      updateSuggestion: db.prepare('UPDATE suggestions SET state = ?, version = ?, doc = ? WHERE id = ? AND version = ?'),
      getSettings: db.prepare('SELECT version, doc, updated_at, updated_by FROM settings WHERE id = 1'),
      putSettings: db.prepare(
        `INSERT INTO settings (id, version, doc, updated_at, updated_by) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      head: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
      appendAudit: db.prepare('INSERT INTO audit (seq, at, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      putHead: db.prepare('INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash'),
      recall: db.prepare('SELECT fingerprint, status, body, created_at FROM idempotency WHERE scope = ? AND key = ?'),
      remember: db.prepare('INSERT INTO idempotency (scope, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      getTriage: db.prepare('SELECT doc FROM triages WHERE message_key = ?').pluck(),
      insertTriage: db.prepare('INSERT INTO triages (message_key, created_at, doc) VALUES (?, ?, ?)'),
      getOutbox: db.prepare('SELECT * FROM outbox WHERE suggestion_id = ?'),
      putOutbox: db.prepare(
        `INSERT INTO outbox (suggestion_id, state, attempts, claimed_at, last_error) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (suggestion_id) DO UPDATE SET state = excluded.state, attempts = excluded.attempts, claimed_at = excluded.claimed_at, last_error = excluded.last_error`,
      ),
      addUsage: db.prepare(
        `INSERT INTO model_usage (day, calls, input_tokens, output_tokens) VALUES (?, ?, ?, ?)
         ON CONFLICT (day) DO UPDATE SET calls = calls + excluded.calls, input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`,
      ),
      getRuntime: db.prepare('SELECT value FROM runtime_state WHERE key = ?').pluck(),
      setRuntime: db.prepare('INSERT INTO runtime_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      deleteRuntime: db.prepare('DELETE FROM runtime_state WHERE key = ?'),
    };
    return {
      getSuggestion: (id) => {
        const doc = q.getSuggestion.get(id) as string | undefined;
        return doc ? (JSON.parse(doc) as Suggestion) : null;
      },
      listSuggestions: (q) => {
        const where: string[] = [];
        const args: unknown[] = [];
        if (q.issueKey) (where.push('issue_key = ?'), args.push(q.issueKey));
        if (q.state) (where.push('state = ?'), args.push(q.state));
        if (q.mailbox !== undefined) (where.push("json_extract(doc, '$.mailbox') = ?"), args.push(q.mailbox));
        const sql = `SELECT doc FROM suggestions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`;
        const docs = db.prepare(sql).pluck().all(...args, q.limit ?? 200) as string[];
        return docs.map((d) => JSON.parse(d) as Suggestion);
      },
      insertSuggestion: (s) => {
        q.insertSuggestion.run(s.id, s.issueKey, s.state, s.createdAt, s.version, JSON.stringify(s));
      },
      updateSuggestion: (s) => {
        const changed = q.updateSuggestion.run(s.state, s.version, JSON.stringify(s), s.id, s.version - 1).changes;
        if (changed !== 1) throw new VersionConflict(s.id);
      },
      getSettings: () => {
        const row = q.getSettings.get() as { version: number; doc: string; updated_at: string; updated_by: string } | undefined;
        if (!row) return { settings: DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null };
        // Stored settings passed the schema when written; parse again so a hand-edited file cannot loosen anything.
        return {
          settings: SettingsSchema.parse(JSON.parse(row.doc)),
          version: row.version,
          updatedAt: row.updated_at,
          updatedBy: JSON.parse(row.updated_by) as Actor,
        };
      },
      putSettings: (settings: Settings, by: Actor, at: string) => {
        const version = (this.tx.getSettings().version ?? 0) + 1;
        q.putSettings.run(version, JSON.stringify(settings), at, JSON.stringify(by));
        return { settings, version, updatedAt: at, updatedBy: by };
      },
      appendAudit: (draft: AuditDraft) => {
        const head = q.head.get() as AuditHead | undefined;
        const entry = chainEntry(draft, (head?.seq ?? 0) + 1, head?.hash ?? GENESIS_HASH);
        q.appendAudit.run(entry.seq, entry.at, JSON.stringify(entry.actor), entry.action, entry.subject, JSON.stringify(entry.details), entry.prevHash, entry.hash);
        q.putHead.run(entry.seq, entry.hash);
        return entry;
      },
      recallIdempotent: (scope, key) => {
        const row = q.recall.get(scope, key) as { fingerprint: string; status: number; body: string; created_at: string } | undefined;
        return row ? { fingerprint: row.fingerprint, status: row.status, body: JSON.parse(row.body) as unknown, at: row.created_at } : null;
      },
      rememberIdempotent: (scope, key, r: IdempotentRecord) => {
        q.remember.run(scope, key, r.fingerprint, r.status, JSON.stringify(r.body), r.at);
      },
      getTriage: (messageKey) => {
        const doc = q.getTriage.get(messageKey) as string | undefined;
        return doc ? (JSON.parse(doc) as Triage) : null;
      },
      insertTriage: (t) => {
        q.insertTriage.run(t.messageKey, t.createdAt, JSON.stringify(t));
      },
      getOutbox: (id) => {
        const row = q.getOutbox.get(id) as OutboxRow | undefined;
        return row ? toOutboxEntry(row) : null;
      },
      putOutbox: (e) => {
        q.putOutbox.run(e.suggestionId, e.state, e.attempts, e.claimedAt, e.lastError);
      },
      addModelUsage: (day, u) => {
        q.addUsage.run(day, u.calls, u.inputTokens, u.outputTokens);
      },
      getRuntime: (key) => (q.getRuntime.get(key) as string | undefined) ?? null,
      setRuntime: (key, value) => {
        if (value === null) q.deleteRuntime.run(key);
        else q.setRuntime.run(key, value);
      },
    };
  }
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
