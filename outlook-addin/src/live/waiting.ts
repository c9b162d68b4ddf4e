import { WAITING_WORDS } from '../render/chrome';
import { REPLY_ACTIONS } from '../render/labels';
import { h, type VNode } from '../render/h';
import { suggestionCard, takeBackWindow, type SuggestionActions } from '../render/suggestion';
import { reveal } from '../render/text';
import type { CardState, PaneEvent } from '../state';
import type { Suggestion, Viewer } from '@pm-agent/shared';

/**
 * "Waiting for you": the caller's own pending suggestions (GET /v1/inbox?group=waiting answers an
 * Outlook user with their mailbox's only), so one can be found again after its email is closed.
 * Its own state beside the pane's, because it outlives the email shown: ItemChanged does not reset it.
 * Cards decided elsewhere stay listed with words for what happened, until the list is reopened.
 */
export interface WaitingState {
  open: boolean;
  status: 'idle' | 'loading' | 'loaded' | 'failed';
  problem?: string | undefined;
  items: Suggestion[];
  cards: Record<string, CardState>;
  viewer: Viewer | null;
}

export const WAITING_CLOSED: WaitingState = { open: false, status: 'idle', items: [], cards: {}, viewer: null };
const fresh = (): CardState => ({ mode: 'view', draft: '', busy: false });

/** The list arrived (on opening, or from a poll): cards keep their forms and drafts; changed ones say what changed. */
export function waitingLoaded(w: WaitingState, items: Suggestion[], viewer: Viewer | null, notes: Record<string, string>): WaitingState {
  const cards: Record<string, CardState> = {};
  for (const s of items) {
    const card = w.cards[s.id] ?? fresh();
    cards[s.id] = notes[s.id] ? { ...card, stale: notes[s.id] } : card;
  }
  return { ...w, status: 'loaded', problem: undefined, items, cards, viewer: viewer ?? w.viewer };
}

/** The pane's card and suggestion events apply here too, so the pane's decision code serves both lists. */
export function nextWaiting(w: WaitingState, event: PaneEvent): WaitingState {
  if (event.type === 'card' && w.cards[event.id]) return { ...w, cards: { ...w.cards, [event.id]: { ...w.cards[event.id]!, ...event.patch } } };
  if (event.type === 'suggestion' && w.cards[event.suggestion.id]) {
    const s = event.suggestion;
    return { ...w, items: w.items.map((old) => (old.id === s.id ? s : old)), cards: { ...w.cards, [s.id]: { ...fresh(), note: event.note, stale: event.stale } } };
  }
  return w;
}

export { WAITING_WORDS };

/**
 * A reply goes out from its own email (Outlook's reply form), so it is decided there: with another
 * email (or none) open, the card says which email to open instead of offering buttons.
 */
function replyHint(s: Suggestion, openMessageId: string | undefined): VNode | null {
  if (!REPLY_ACTIONS.has(s.actionType) || s.state !== 'pending' || s.provenance.ref === openMessageId) return null;
  const title = s.provenance.title ? `“${reveal(s.provenance.title)}”` : 'it answers';
  return h('p', { class: 'note', testid: 'open-email-hint' }, `To send or change this reply, open the email ${title} in Outlook: the pane shows it there.`);
}

export function waitingView(w: WaitingState, actions: SuggestionActions, openMessageId: string | undefined, now?: string): VNode {
  const canApprove = w.viewer?.canApprove ?? true; // unknown viewer: the backend decides
  const body = ((): Array<VNode | null> => {
    if (w.status === 'loading' || w.status === 'idle') return [h('p', { role: 'status', class: 'muted' }, WAITING_WORDS.loading)];
    if (w.status === 'failed') return [h('p', { role: 'alert', class: 'problem', testid: 'waiting-problem' }, w.problem ?? '')];
    if (!w.items.length) return [h('p', { role: 'status', testid: 'waiting-empty' }, WAITING_WORDS.empty)];
    return [
      h('p', { role: 'status', class: 'sr-only' }, `${w.items.length} waiting for you.`),
      h(
        'ul',
        { class: 'plain' },
        w.items.map((s, i) => {
          const decidable = canApprove && !replyHint(s, openMessageId);
          const card = suggestionCard(s, w.cards[s.id] ?? fresh(), decidable, actions, w.viewer?.paused ?? false, i + 1, takeBackWindow(now, w.viewer));
          const hint = replyHint(s, openMessageId);
          return hint ? { ...card, children: [...card.children, hint] } : card;
        }),
      ),
    ];
  })();
  return h('section', { class: 'waiting', testid: 'waiting', ariaLabelledby: 'waiting-heading' }, h('h2', { id: 'waiting-heading', tabindex: '-1' }, WAITING_WORDS.heading), h('p', { class: 'muted' }, WAITING_WORDS.intro), body);
}

