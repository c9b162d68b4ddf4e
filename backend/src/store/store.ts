import type { AuditEntry, ListSuggestionsQuery, SettingsView, Suggestion, Triage } from '@pm-agent/shared';

/**
 * The store contract both stores keep (SQLite locally, DynamoDB on AWS): there are no interactive
 * transactions. An operation reads what it needs (asynchronously), decides with pure functions,
 * and commits ONE change set: its writes, the conditions they rest on, and its audit entries,
 * all or nothing. When a condition no longer holds, `commit` throws `ConditionFailed` and changes
 * nothing; the operation then reads again and decides again (`decideAndCommit` in
 * domain/unit-of-work.ts), a bounded number of times.
 */
export interface Store extends StoreReads {
  /**
   * Applies the change set atomically. Every write's condition is checked in the same atomic step;
   * the audit drafts are chained onto the current audit head and the head is moved, conditioned on
   * the head the entries extend, so the chain can neither fork nor skip. Throws ConditionFailed
   * (nothing written) when any condition fails.
   */
  commit(changes: ChangeSet): Promise<Committed>;
  close(): Promise<void>;
  /** What this store is, for logs and errors: "SQLite at …", "DynamoDB table … at …". */
  readonly describe: string;
}

/** Reads. Every read that feeds a decision is strongly consistent. */
export interface StoreReads {
  getSuggestion(id: string): Promise<Suggestion | null>;
  /** The first page of `pageSuggestions` (newest first, `limit` default 200). */
  listSuggestions(query: SuggestionQuery & { limit?: number }): Promise<Suggestion[]>;
  /** Newest first. Pass `cursor` (the previous page's `next`) for the next page. */
  pageSuggestions(query: SuggestionQuery & PageRequest): Promise<Page<Suggestion>>;
  countSuggestions(): Promise<number>;
  /** Suggestions ready for the execute stage: approved, or scheduled with runAt at or before `now`. */
  listRunnable(now: string, limit: number): Promise<Suggestion[]>;
  /** Scheduled suggestions, earliest runAt first. */
  listScheduled(page: PageRequest): Promise<Page<Suggestion>>;
  getSettings(): Promise<SettingsView>;
  /** The pause intervals recorded with the settings (same item, same version). */
  getPauses(): Promise<{ version: number; pauses: PauseInterval[] }>;
  recallIdempotent(scope: string, key: string): Promise<IdempotentRecord | null>;
  /** The message's current triage: its latest revision (see the `retriage` write). */
  getTriage(messageKey: string): Promise<Triage | null>;
  /** Every triage of the message, first to latest; empty when it was never triaged. */
  listTriageRevisions(messageKey: string): Promise<Triage[]>;
  getOutbox(suggestionId: string): Promise<OutboxEntry | null>;
  listOutbox(state: OutboxEntry['state'], page?: PageRequest): Promise<Page<OutboxEntry>>;
  getModelUsage(day: string): Promise<ModelUsage>;
  getAuditHead(): Promise<AuditHead | null>;
  /** Audit entries with seq > after, in order. */
  listAudit(after: number, limit: number): Promise<AuditEntry[]>;
  /** Every audit entry in order plus the recorded head, for verification. */
  readAuditChain(): Promise<{ entries: AuditEntry[]; head: AuditHead | null }>;
}

export interface PageRequest {
  limit?: number;
  /** Opaque: the `next` of the page before. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null when this was the last. */
  next: string | null;
}

/**
 * One atomic change. Each write names the condition it rests on; `checks` are conditions without a
 * write (a decision that read the settings rests on their version).
 */
export interface ChangeSet {
  writes: Write[];
  checks?: Check[];
  audit?: AuditDraft[];
}

export type Write =
  /** `expectedVersion` null: the suggestion must not exist yet; otherwise the stored version must be it. */
  | { kind: 'suggestion'; value: Suggestion; expectedVersion: number | null }
  /** The stored settings version must be `value.version - 1` (0: none stored yet). */
  | { kind: 'settings'; value: SettingsView; pauses: PauseInterval[] }
  /** The key must not have been used in this scope yet. */
  | { kind: 'idempotency'; scope: string; key: string; record: IdempotentRecord }
  /** The message must not have a triage yet. It is revision 1. */
  | { kind: 'triage'; value: Triage }
  /**
   * A fresh triage of a message, added after the earlier ones (insert-only: they are kept). The
   * message's current triage must still be revision `replaces`; `value.revision` is `replaces + 1`.
   */
  | { kind: 'retriage'; value: Triage; replaces: number }
  /** `expected` null: no outbox row for this suggestion yet; otherwise the row must still be as read. */
  | { kind: 'outbox'; value: OutboxEntry; expected: Pick<OutboxEntry, 'state' | 'attempts'> | null }
  /** Adds to the day's counters; no condition (increments commute). */
  | { kind: 'modelUsage'; day: string; add: Omit<ModelUsage, 'day'> };

export type Check =
  | { kind: 'settingsVersion'; version: number }
  | { kind: 'suggestionVersion'; id: string; version: number }
  /** The message has not been triaged again since `revision` (1: its first triage). */
  | { kind: 'triageRevision'; messageKey: string; revision: number };

export interface Committed {
  audit: AuditEntry[];
}

/** When the agent was paused: `to` null while it still is. Kept with the settings. */
export interface PauseInterval {
  from: string;
  to: string | null;
}

export interface OutboxEntry {
  suggestionId: string;
  state: 'pending' | 'done';
  attempts: number;
  claimedAt: string;
  lastError: string | null;
}

export interface ModelUsage {
  day: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
}

export interface AuditDraft {
  at: string;
  actor: AuditEntry['actor'];
  action: string;
  subject: string;
  details: Record<string, unknown>;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** The first answer to an idempotent request, replayed for repeats with the same key. */
export interface IdempotentRecord {
  fingerprint: string;
  status: number;
  body: unknown;
  at: string;
}

/** A condition of the change set no longer holds: nothing was written. Read again and decide again. */
export class ConditionFailed extends Error {
  constructor(readonly what: string[]) {
    super(`the change could not be committed: ${what.join('; ') || 'a condition no longer holds'}`);
    this.name = 'ConditionFailed';
  }
}

/** A change set the store cannot take at all (too many items, an item too large): never retried. */
export class ChangeTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChangeTooLarge';
  }
}

/** The store cannot be used as configured (missing table, wrong region, unreachable endpoint). */
export class StoreUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreUnavailable';
  }
}

/** How many items a change set may hold: DynamoDB's TransactWriteItems limit, kept by both stores. */
export const MAX_CHANGE_ITEMS = 100;

/** How many items each write touches at most (DynamoDB: a re-triage adds the revision, moves the pointer, and checks the first). */
export const ITEMS_PER_WRITE: Record<Write['kind'], number> = { suggestion: 1, settings: 1, idempotency: 1, triage: 1, retriage: 3, outbox: 1, modelUsage: 1 };

/** Counts the items a change set touches, the audit head included. */
export function changeItemCount(c: ChangeSet): number {
  const audit = c.audit?.length ?? 0;
  const writes = c.writes.reduce((n, w) => n + ITEMS_PER_WRITE[w.kind], 0);
  return writes + (c.checks?.length ?? 0) + audit + (audit ? 1 : 0);
}

/** A triage's revision: 1 for one stored before revisions existed. */
export function revisionOf(t: Triage): number {
  return t.revision ?? 1;
}

export function assertChangeFits(c: ChangeSet): void {
  const n = changeItemCount(c);
  if (n > MAX_CHANGE_ITEMS) throw new ChangeTooLarge(`one change may touch at most ${MAX_CHANGE_ITEMS} items; this one touches ${n}`);
}

/** A suggestion list query; `mailbox` (set by the API for Outlook callers, never from the query string) keeps only that mailbox's. */
export type SuggestionQuery = ListSuggestionsQuery & { mailbox?: string };
