import type { ActionType } from './actions';
import { canApply, type SuggestionState } from './lifecycle';

/**
 * Which executed actions can be taken back, and what taking back does (words for the pages), as
 * a table with a row per action type: null means it cannot be undone here. Only the execute
 * stage acts on it; the backend reads it to refuse an undo in words before anything is queued.
 */
export const UNDOABLE: Record<ActionType, string | null> = {
  jira_comment: 'removes the comment it posted from the Jira issue',
  jira_status_change: null,
  jira_create_ticket: null,
  artefact_update: null,
  heartbeat_log: null,
  notification_internal: null,
  email_stakeholder: null,
  email_external: null,
  scope_change: null,
  milestone_change: null,
  delete_data: null,
  share_confidential: null,
  modify_integration_config: null,
  change_own_autonomy_level: null,
};

/**
 * Whether `at` (ISO time) is within `minutes` of `since` (ISO time). `earlyMs`: how far `at` may
 * be before `since`, when `at` is another machine's clock (a page's, against the server's times).
 */
export function withinWindow(since: string, at: string, minutes: number, earlyMs = 0): boolean {
  const elapsed = Date.parse(at) - Date.parse(since);
  return Number.isFinite(elapsed) && elapsed >= -earlyMs && elapsed <= minutes * 60_000;
}

/** How far a page's clock may run behind the server's when it asks takeBackAt (a just-decided card still offers Reopen). */
export const PAGE_CLOCK_SKEW_MS = 60_000;

/**
 * What a person can still take back at `at` (ISO time) within the undo window of `minutes`: a
 * closed decision (reopen: it waits for a decision again), or an executed action that has an undo.
 * The backend decides with it; the pages offer the button only while it holds.
 */
export function takeBackAt(s: TakeBackSubject, at: string, minutes: number, earlyMs = 0): TakeBack | null {
  const offered: TakeBack | null = canApply('reopen', s.state) ? 'reopen' : canApply('undo', s.state) && UNDOABLE[s.actionType] !== null && s.result?.ok ? 'undo' : null;
  const since = offered && WINDOW_FROM[offered](s);
  return offered && since && withinWindow(since, at, minutes, earlyMs) ? offered : null;
}

/** When the window of what takeBackAt offers ends (ms since the epoch). */
export function takeBackEnds(s: TakeBackSubject, offered: TakeBack, minutes: number): number {
  return Date.parse(WINDOW_FROM[offered](s) ?? '') + minutes * 60_000;
}

type TakeBack = 'reopen' | 'undo';
type TakeBackSubject = { state: SuggestionState; actionType: ActionType; decision: { at: string } | null; result: { ok: boolean; at: string } | null };

/** Where each window starts: the closing decision, or the action having run. */
const WINDOW_FROM: Record<TakeBack, (s: TakeBackSubject) => string | undefined> = {
  reopen: (s) => s.decision?.at,
  undo: (s) => s.result?.at,
};
