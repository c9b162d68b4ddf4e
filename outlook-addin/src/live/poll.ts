import type { BackendClient } from '@pm-agent/backend-client';
import { decidedBy, liveChanges, type Suggestion } from '@pm-agent/shared';
import type { CardState, PaneState } from '../state';
import { waitingLoaded, type WaitingState } from './waiting';

/**
 * One live-refresh poll of whatever the pane shows: one API call (the waiting list, or the open
 * email's triage), plus one per card that just left the waiting list (to say what happened to it).
 * The answer is applied to the pane's state as it is when the answer arrives (the person may have
 * typed meanwhile); null when nothing changed, so the pane redraws nothing.
 */

/** "Pat Morgan rejected this 2 minutes ago: not now", or the change alone when nobody decided. */
function inWords(notes: Record<string, string>, list: readonly Suggestion[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of list) if (notes[s.id]) out[s.id] = s.decision ? `${decidedBy(s)} ${notes[s.id]}` : notes[s.id]!;
  return out;
}

const withNotes = (cards: Record<string, CardState>, list: readonly Suggestion[], words: Record<string, string>): Record<string, CardState> =>
  Object.fromEntries(list.map((s) => {
    const card = cards[s.id] ?? { mode: 'view' as const, draft: '', busy: false };
    return [s.id, words[s.id] ? { ...card, stale: words[s.id] } : card];
  }));

export const WAITING_LIMIT = 50;

export async function pollWaiting(client: BackendClient, current: () => WaitingState, seen: Map<string, Suggestion>): Promise<WaitingState | null> {
  const page = await client.getInbox({ group: 'waiting', limit: WAITING_LIMIT });
  const listed = new Set(page.items.map((s) => s.id));
  // Cards that left the list stay, with what happened to them; one that is gone (not found) goes.
  const left = await Promise.all(current().items.filter((s) => !listed.has(s.id)).map((s) => (s.state === 'pending' ? client.getSuggestion(s.id).catch(() => null) : s)));
  const w = current();
  if (!w.open) return null;
  const { different, notes, items } = liveChanges(seen, w.items.map((s) => s.id), [...page.items, ...left.filter((s): s is Suggestion => s !== null)], new Date());
  return different ? waitingLoaded(w, items, null, inWords(notes, items)) : null;
}

export async function pollResult(client: BackendClient, current: () => PaneState, seen: Map<string, Suggestion>): Promise<PaneState | null> {
  const asked = current();
  if (asked.kind !== 'result') return null;
  const { triage } = await client.getTriage(asked.triage.messageKey);
  const state = current();
  if (state.kind !== 'result' || state.triage.messageKey !== asked.triage.messageKey) return null; // another email by now
  const { different, notes, items } = liveChanges(seen, state.triage.suggestions.map((s) => s.id), triage.suggestions, new Date());
  if (!different) return null;
  return { ...state, triage: { ...state.triage, suggestions: items }, cards: withNotes(state.cards, items, inWords(notes, items)) };
}
