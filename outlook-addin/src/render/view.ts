import { waitingToggle, waitingView, type WaitingState } from '../live/waiting';
import { emailOf, type PaneState } from '../state';
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
}

export const MESSAGES = {
  starting: 'Starting…',
  outside: 'This page is the PM agent pane for Outlook. Open an email in Outlook and choose "Triage email" on the ribbon.',
  noItem: 'No email selected. Select an email to triage it.',
  triaging: 'Triaging… the agent reads the email in isolated stages. This can take up to 45 seconds with a model; Cancel stops waiting.',
} as const;

function header(nav: VNode | null): VNode {
  return h('header', { class: 'top' }, h('h1', {}, 'PM agent'), nav);
}

/** A setting, not a task: at the foot of the pane, so the email and its suggestions come first. */
function footer(ctx: ViewContext): VNode {
  return h(
    'footer',
    { class: 'foot' },
    h(
      'label',
      { class: 'toggle' },
      h('input', { type: 'checkbox', testid: 'auto-triage', checked: ctx.autoTriage, on: { change: (on) => ctx.actions.setAutoTriage(on) } }),
      ' Triage automatically when an email opens',
    ),
  );
}

function triageButton(ctx: ViewContext, busy: boolean, label: string = BUTTONS.triage): VNode {
  return h('button', { type: 'button', class: 'primary', testid: 'triage', disabled: busy, on: { click: () => ctx.actions.triage() } }, label);
}

export function view(state: PaneState, ctx: ViewContext): VNode {
  const inHost = state.kind !== 'outside' && state.kind !== 'starting';
  const email = emailOf(state)?.email;
  const nav = inHost && ctx.waiting ? waitingToggle(ctx.waiting, email !== undefined, () => ctx.actions.toggleWaiting?.()) : null;
  if (inHost && ctx.waiting?.open) return h('div', { class: 'pane waiting', testid: 'state-waiting' }, header(nav), waitingView(ctx.waiting, ctx.actions, email?.internetMessageId));
  const body = ((): Array<VNode | null> => {
    switch (state.kind) {
      case 'starting':
        return [h('p', { role: 'status', class: 'muted' }, MESSAGES.starting)];
      case 'outside':
        return [h('p', { role: 'status', testid: 'outside' }, MESSAGES.outside)];
      case 'no-item':
        return [h('p', { role: 'status', testid: 'no-item' }, MESSAGES.noItem)];
      case 'ready':
        return [emailCard(state.email, state.notes), triageButton(ctx, false)];
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
          h('div', { class: 'result', testid: 'result' }, resultSections({ ...state, jiraBrowseUrl: ctx.jiraBrowseUrl, actions: ctx.actions, notSuspicious: () => ctx.actions.notSuspicious(), onRetriage: ctx.actions.retriage })),
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
  return h('div', { class: `pane ${state.kind}`, testid: `state-${state.kind}` }, header(nav), body, inHost ? footer(ctx) : null);
}
