import type { EmailInput } from '@pm-agent/shared';
import { emailCard } from './email';
import { h, type Child, type VNode } from './h';
import { BUTTONS } from './labels';

/**
 * What every view of the pane shares (header, footer, the Triage button) and the view of an email
 * not yet triaged. Small on purpose, with no schemas or backend client behind it: opening.ts draws
 * the open email with it before the rest of the pane has loaded, and view.ts draws the same thing
 * from the same functions afterwards.
 */
export interface ChromeContext {
  autoTriage: boolean;
  actions: { triage(): void; setAutoTriage(on: boolean): void; toggleWaiting?(): void };
}

export const MESSAGES = {
  starting: 'Starting…',
  outside: 'This page is the PM agent pane for Outlook. Open an email in Outlook and choose "Triage email" on the ribbon.',
  noItem: 'No email selected. Select an email to triage it.',
  triaging: 'Triaging… the agent reads the email in isolated stages. This can take up to 45 seconds with a model; Cancel stops waiting.',
} as const;

export const WAITING_WORDS = {
  toggle: 'Waiting for you',
  back: 'Back to the email',
  close: 'Close the list',
  heading: 'Waiting for you',
  intro: 'Suggestions from your mailbox that wait for your decision. This list refreshes by itself.',
  loading: 'Loading what waits for you…',
  empty: 'Nothing from your mailbox waits for you.',
} as const;

/** The header's button that opens (or closes) "Waiting for you". */
export function waitingToggle(open: boolean, hasEmail: boolean, toggle: () => void): VNode {
  const label = !open ? WAITING_WORDS.toggle : hasEmail ? WAITING_WORDS.back : WAITING_WORDS.close;
  return h('button', { type: 'button', class: 'link', testid: 'waiting-toggle', on: { click: toggle } }, label);
}

export function header(nav: VNode | null): VNode {
  return h('header', { class: 'top' }, h('h1', {}, 'PM agent'), nav);
}

/** A setting, not a task: at the foot of the pane, so the email and its suggestions come first. */
function footer(ctx: ChromeContext): VNode {
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

export function triageButton(ctx: ChromeContext, busy: boolean, label: string = BUTTONS.triage): VNode {
  return h('button', { type: 'button', class: 'primary', testid: 'triage', disabled: busy, on: { click: () => ctx.actions.triage() } }, label);
}

/** The pane for one state: header (with its nav), the state's body, and the footer inside Outlook. */
export function shell(kind: string, nav: VNode | null, body: Array<Child | null>, inHost: boolean, ctx: ChromeContext): VNode {
  return h('div', { class: `pane ${kind}`, testid: `state-${kind}` }, header(nav), body, inHost ? footer(ctx) : null);
}

/** An email read and not yet triaged: the email, then the button that triages it (busy once pressed, on the first drawing). */
export function readyBody(email: EmailInput, notes: string[], ctx: ChromeContext, pressed = false): VNode[] {
  return [emailCard(email, notes), triageButton(ctx, pressed)];
}

/** The whole pane for an email just opened, with "Waiting for you" closed: what view() draws for the state "ready". */
export function readyView(email: EmailInput, notes: string[], ctx: ChromeContext, pressed = false): VNode {
  return shell('ready', waitingToggle(false, true, () => ctx.actions.toggleWaiting?.()), readyBody(email, notes, ctx, pressed), true, ctx);
}
