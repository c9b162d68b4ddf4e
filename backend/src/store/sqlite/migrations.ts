import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order, each in its own transaction, recorded in schema_migrations.
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'suggestions, settings, audit trail, idempotency',
    sql: `
      CREATE TABLE suggestions (
        id TEXT PRIMARY KEY,
        issue_key TEXT,
        state TEXT NOT NULL,
        created_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX suggestions_by_issue ON suggestions (issue_key, state, created_at);
      CREATE INDEX suggestions_by_state ON suggestions (state, created_at);

      CREATE TABLE settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL);
      -- Append-only: the database itself refuses edits. The hash chain detects edits made around this.
      CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
      CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

      CREATE TABLE idempotency (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (scope, key)
      );
    `,
  },
  {
    version: 2,
    name: 'triage results, execution outbox, model usage, runtime state',
    sql: `
      CREATE TABLE triages (
        message_key TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        doc TEXT NOT NULL
      );

      -- One row per suggestion handed to the execute stage. A row that is not done when the
      -- backend starts is dispatched again; the executor's marker makes the retry idempotent.
      CREATE TABLE outbox (
        suggestion_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
        attempts INTEGER NOT NULL,
        claimed_at TEXT NOT NULL,
        last_error TEXT
      );

      CREATE TABLE model_usage (
        day TEXT PRIMARY KEY,
        calls INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL
      );

      CREATE TABLE runtime_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 3,
    name: 'pause intervals with the settings; scheduled suggestions by runAt',
    sql: `
      ALTER TABLE settings ADD COLUMN pauses TEXT NOT NULL DEFAULT '[]';
      -- A pause that was open under the old design becomes an open interval.
      UPDATE settings SET pauses = json_array(json_object('from', (SELECT value FROM runtime_state WHERE key = 'pausedAt'), 'to', NULL))
        WHERE EXISTS (SELECT 1 FROM runtime_state WHERE key = 'pausedAt');
      DELETE FROM runtime_state WHERE key = 'pausedAt';

      ALTER TABLE suggestions ADD COLUMN run_at TEXT;
      UPDATE suggestions SET run_at = json_extract(doc, '$.runAt');
      CREATE INDEX suggestions_scheduled ON suggestions (run_at, id) WHERE state = 'scheduled';
      CREATE INDEX suggestions_by_created ON suggestions (created_at, id);
      CREATE INDEX outbox_by_state ON outbox (state, claimed_at, suggestion_id);
    `,
  },
  {
    version: 4,
    name: 'triage revisions (re-triage keeps the earlier results)',
    sql: `
      -- Revision 1 stays in triages; each re-triage adds the next revision here. Insert-only.
      CREATE TABLE triage_revisions (
        message_key TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 2),
        created_at TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (message_key, revision)
      );
      CREATE TRIGGER triage_revisions_no_update BEFORE UPDATE ON triage_revisions BEGIN SELECT RAISE(ABORT, 'triage results are insert-only'); END;
      CREATE TRIGGER triage_revisions_no_delete BEFORE DELETE ON triage_revisions BEGIN SELECT RAISE(ABORT, 'triage results are insert-only'); END;
    `,
  },
];

export function migrate(db: Database.Database): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const ran: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    ran.push(m.version);
  }
  return ran;
}
