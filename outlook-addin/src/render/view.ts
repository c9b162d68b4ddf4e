import { waitingView, type WaitingState } from '../live/waiting';
import { emailOf, type PaneState } from '../state';
import { MESSAGES, header, readyBody, shell, triageButton, waitingToggle } from './chrome';
import { emailCard } from './email';
import { h, type VNode } from './h';
import { BUTTONS } from './labels';
import { resultSections } from './result';
import type { SuggestionActions } from './suggestion';

/** The whole pane for one state. Pure: same state, same tree. */
export interface ViewContext {
  autoTriage: boolean;
  jiraBrowseUrl: string | undefined;
  actions: SuggestionActions & { triage(): void; setAutoTriage(on: boolean): void; cancelTriage(): void; notSuspicious(): void; retriage?(): void; toggleWaiting?(): void };
  /** "Waiting for you": when open, it is shown instead of the email. */
  waiting?: WaitingState | undefined;
  /** When this is drawn (ISO time), for what can still be taken back. */
  now?: string | undefined;
}

export function view(state: PaneState, ctx: ViewContext): VNode {
  const inHost = state.kind !== 'outside' && state.kind !== 'starting';
  const email = emailOf(state)?.email;
  const nav = inHost && ctx.waiting ? waitingToggle(ctx.waiting.open, email !== undefined, () => ctx.actions.toggleWaiting?.()) : null;
  if (inHost && ctx.waiting?.open) return h('div', { class: 'pane waiting', testid: 'state-waiting' }, header(nav), waitingView(ctx.waiting, ctx.actions, email?.internetMessageId, ctx.now));
  const body = ((): Array<VNode | null> => {
    switch (state.kind) {
      case 'starting':
        return [h('p', { role: 'status', class: 'muted' }, MESSAGES.starting)];
      case 'outside':
        return [h('p', { role: 'status', testid: 'outside' }, MESSAGES.outside)];
      case 'no-item':
        return [h('p', { role: 'status', testid: 'no-item' }, MESSAGES.noItem)];
      case 'ready':
        return readyBody(state.email, state.notes, ctx);
      case 'triaging':
        return [
          emailCard(state.email, state.notes),
          triageButton(ctx, true),
          h(
            'div',
            { role: 'status', ariaLive: 'polite', class: 'progress', testid: 'progress' },
            h('progress', { ariaLabel: 'Triaging' }),
            h('p', {}, MESSAGES.triaging),
            h('button', { type: 'button', testid: 'cancel-triage', on: { click: () => ctx.actions.cancelTriage() } }, BUTTONS.cancelTriage),
          ),
        ];
      case 'result':
        return [
          emailCard(state.email, state.notes, true),
          h('div', { class: 'result', testid: 'result' }, resultSections({ ...state, jiraBrowseUrl: ctx.jiraBrowseUrl, actions: ctx.actions, notSuspicious: () => ctx.actions.notSuspicious(), onRetriage: ctx.actions.retriage, now: ctx.now })),
        ];
      case 'error':
        return [
          state.email ? emailCard(state.email, state.notes ?? []) : null,
          h(
            'div',
            { role: 'alert', class: 'error', testid: 'error', tabindex: '-1' },
            h('h2', {}, state.error.title),
            h('p', { class: 'value' }, state.error.message),
            // Status codes and request ids help support, not the reader: behind a disclosure.
            state.error.detail ? h('details', { testid: 'error-details' }, h('summary', {}, 'Details'), h('p', { class: 'value muted' }, state.error.detail)) : null,
          ),
          state.retry && state.email ? triageButton(ctx, false, BUTTONS.retry) : null,
        ];
    }
  })();
  return shell(state.kind, nav, body, inHost, ctx);
}
