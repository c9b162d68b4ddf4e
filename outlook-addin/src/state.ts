import type { EmailInput, Suggestion, Triage, Viewer } from '@pm-agent/shared';
import type { ErrorView } from './errors';

/**
 * The pane as a small state machine. `next` is pure: the controller feeds it events and renders
 * whatever comes out. Every state that belongs to an email carries that email, so switching items
 * (ItemChanged) simply starts over from the new item and nothing of the old one can linger.
 *
 *   starting ─item→ no-item | ready | error
 *   ready ─triage→ triaging ─done→ result
 *                            └fail→ error ─triage→ triaging
 *   any ─item→ (the new item's state)        any ─outside→ outside
 */
export interface EmailState {
  email: EmailInput;
  /** Things the pane had to leave out or cut when reading the item. */
  notes: string[];
}

/** Per-suggestion UI: which form is open, its draft, and the last problem or note. */
export interface CardState {
  mode: 'view' | 'edit' | 'reject';
  draft: string;
  busy: boolean;
  problem?: string | undefined;
  note?: string | undefined;
  /** Someone else changed or decided it meanwhile: said in words, as a warning (never as success). */
  stale?: string | undefined;
  /** The last decision did not get an answer (cancelled, timed out, unreachable): "Try again" resends it. */
  retry?: boolean | undefined;
  /** The reader asked for the whole text ("Show more"). */
  expanded?: boolean | undefined;
  /** The backend refused to take this card back as it is (e.g. the email was triaged again): Reopen / Undo are not offered again. */
  takeBackRefused?: boolean | undefined;
}

/** The person's "Not suspicious" on a flagged email, or their "Re-triage": in flight, recorded (note) or failed (problem). */
export interface ReviewState {
  busy: boolean;
  note?: string | undefined;
  problem?: string | undefined;
}

export type PaneState =
  | { kind: 'starting' }
  | { kind: 'outside' }
  | { kind: 'no-item' }
  | ({ kind: 'ready' } & EmailState)
  | ({ kind: 'triaging' } & EmailState)
  | ({ kind: 'result'; triage: Triage; cached: boolean; viewer: Viewer | null; cards: Record<string, CardState>; review?: ReviewState; retriage?: ReviewState } & EmailState)
  | ({ kind: 'error'; error: ErrorView; retry: boolean } & Partial<EmailState>);

export type PaneEvent =
  | { type: 'outside' }
  | { type: 'no-item' }
  | { type: 'item'; email: EmailInput; notes: string[] }
  /** The new item cannot be sent for triage (no message id, no sender address…). */
  | { type: 'unreadable'; error: ErrorView }
  | { type: 'failed'; error: ErrorView; retry: boolean }
  | { type: 'triage' }
  | { type: 'triaged'; triage: Triage; cached: boolean; viewer: Viewer | null }
  | { type: 'card'; id: string; patch: Partial<CardState> }
  | { type: 'suggestion'; suggestion: Suggestion; note?: string | undefined; stale?: string | undefined }
  | { type: 'review'; review: ReviewState }
  /** "Re-triage" in flight or failed. */
  | { type: 'retriage'; retriage: ReviewState }
  /** The fresh triage of the same email: it replaces the result shown; `note` says what happened. */
  | { type: 'retriaged'; triage: Triage; note: string }
  /** The person cancelled the triage in flight: back to the email, nothing lost. */
  | { type: 'cancel' };

export const INITIAL: PaneState = { kind: 'starting' };

const freshCard = (): CardState => ({ mode: 'view', draft: '', busy: false });

export function emailOf(state: PaneState): EmailState | undefined {
  return 'email' in state && state.email ? { email: state.email, notes: state.notes ?? [] } : undefined;
}

export function next(state: PaneState, event: PaneEvent): PaneState {
  switch (event.type) {
    case 'outside':
      return { kind: 'outside' };
    case 'no-item':
      return { kind: 'no-item' };
    case 'item':
      return { kind: 'ready', email: event.email, notes: event.notes };
    case 'unreadable':
      return { kind: 'error', error: event.error, retry: false };
    case 'failed':
      return { kind: 'error', error: event.error, retry: event.retry, ...emailOf(state) };
    case 'cancel':
      return state.kind === 'triaging' ? { kind: 'ready', email: state.email, notes: state.notes } : state;
    case 'triage': {
      const current = emailOf(state);
      return current && (state.kind === 'ready' || state.kind === 'error') ? { kind: 'triaging', ...current } : state;
    }
    case 'triaged': {
      if (state.kind !== 'triaging') return state; // a late answer for an item no longer shown
      const cards = Object.fromEntries(event.triage.suggestions.map((s) => [s.id, freshCard()]));
      return { kind: 'result', email: state.email, notes: state.notes, triage: event.triage, cached: event.cached, viewer: event.viewer, cards };
    }
    case 'review':
      return state.kind === 'result' ? { ...state, review: event.review } : state;
    case 'retriage':
      return state.kind === 'result' ? { ...state, retriage: event.retriage } : state;
    case 'retriaged': {
      // A late answer for another email (the person moved on) changes nothing.
      if (state.kind !== 'result' || state.triage.messageKey !== event.triage.messageKey) return state;
      const cards = Object.fromEntries(event.triage.suggestions.map((s) => [s.id, freshCard()]));
      const { review: _review, ...rest } = state;
      return { ...rest, triage: event.triage, cached: false, cards, retriage: { busy: false, note: event.note } };
    }
    case 'card': {
      if (state.kind !== 'result' || !state.cards[event.id]) return state;
      return { ...state, cards: { ...state.cards, [event.id]: { ...state.cards[event.id]!, ...event.patch } } };
    }
    case 'suggestion': {
      if (state.kind !== 'result') return state;
      const s = event.suggestion;
      if (!state.triage.suggestions.some((old) => old.id === s.id)) return state;
      const suggestions = state.triage.suggestions.map((old) => (old.id === s.id ? s : old));
      return { ...state, triage: { ...state.triage, suggestions }, cards: { ...state.cards, [s.id]: { ...freshCard(), note: event.note, stale: event.stale } } };
    }
  }
}
