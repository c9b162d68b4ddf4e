import type { Actor, AuditEntry, ListSuggestionsQuery, Settings, SettingsView, Suggestion, Triage } from '@pm-agent/shared';

/**
 * The store behind the API. Every state change happens inside one `transaction`, which also
 * appends its audit entries, so a change and its audit record are committed together or not at all.
 * Locally this is SQLite; on AWS the same interface sits over DynamoDB.
 */
export interface Store {
  transaction<T>(work: (tx: StoreTx) => T): Promise<T>;
  getSuggestion(id: string): Promise<Suggestion | null>;
  listSuggestions(query: SuggestionQuery): Promise<Suggestion[]>;
  getSettings(): Promise<SettingsView>;
  listAudit(after: number, limit: number): Promise<AuditEntry[]>;
  /** Every audit entry in order plus the recorded head, for verification. */
  readAuditChain(): Promise<{ entries: AuditEntry[]; head: AuditHead | null }>;
  countSuggestions(): Promise<number>;
  getTriage(messageKey: string): Promise<Triage | null>;
  /** Suggestions ready for the execute stage: approved, or scheduled with runAt at or before `now`. */
  listRunnable(now: string, limit: number): Promise<Suggestion[]>;
  listOutbox(state: OutboxEntry['state']): Promise<OutboxEntry[]>;
  getModelUsage(day: string): Promise<ModelUsage>;
  close(): Promise<void>;
}

/** Synchronous view inside a transaction: reads see this transaction's own writes. */
export interface StoreTx {
  getSuggestion(id: string): Suggestion | null;
  listSuggestions(query: SuggestionQuery): Suggestion[];
  insertSuggestion(s: Suggestion): void;
  /** Writes `next` only if the stored version is still `next.version - 1`; throws VersionConflict otherwise. */
  updateSuggestion(next: Suggestion): void;
  getSettings(): SettingsView;
  putSettings(settings: Settings, by: Actor, at: string): SettingsView;
  appendAudit(draft: AuditDraft): AuditEntry;
  recallIdempotent(scope: string, key: string): IdempotentRecord | null;
  rememberIdempotent(scope: string, key: string, record: IdempotentRecord): void;
  getTriage(messageKey: string): Triage | null;
  insertTriage(t: Triage): void;
  getOutbox(suggestionId: string): OutboxEntry | null;
  putOutbox(entry: OutboxEntry): void;
  addModelUsage(day: string, usage: Omit<ModelUsage, 'day'>): void;
  getRuntime(key: string): string | null;
  setRuntime(key: string, value: string | null): void;
}

/** A suggestion list query; `mailbox` (set by the API for Outlook callers, never from the query string) keeps only that mailbox's. */
export type SuggestionQuery = ListSuggestionsQuery & { limit?: number; mailbox?: string };

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
  actor: Actor;
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

export class VersionConflict extends Error {
  constructor(id: string) {
    super(`suggestion ${id} changed while it was being updated`);
    this.name = 'VersionConflict';
  }
}
