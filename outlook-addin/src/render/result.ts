import { CATEGORIES, TRIAGE_STATUSES, type Signal, type Triage, type Viewer } from '@pm-agent/shared';
import type { CardState, ReviewState } from '../state';
import { h, type Child, type VNode } from './h';
import { CLASSIFIER_LABELS, HEADINGS, PRIORITY_LABELS, SIGNAL_LABELS, WHERE_LABELS } from './labels';
import { emailLink, jiraIssue } from './links';
import { suggestionCard, takeBackWindow, type SuggestionActions } from './suggestion';
import { PANE_CLAMP, reveal } from './text';
import { clampText } from '@pm-agent/shared';

/** The triage result, one section per heading in HEADINGS, model and email text always as text. */
function section(key: keyof typeof HEADINGS, ...body: Array<Child | Child[] | null>): VNode {
  return h('section', { class: `part ${key}`, testid: `section-${key}`, ariaLabelledby: `h-${key}` }, h('h2', { id: `h-${key}` }, HEADINGS[key]), ...body);
}

function signalItem(s: Signal): VNode {
  return h(
    'li',
    { class: 'signal', testid: 'signal' },
    h('strong', {}, SIGNAL_LABELS[s.kind]),
    ` ${WHERE_LABELS[s.where]}`,
    h('div', { class: 'value quoted' }, reveal(s.text)),
    h('div', { class: 'muted' }, reveal(s.explanation)),
  );
}

export interface ResultView {
  triage: Triage;
  cached: boolean;
  viewer: Viewer | null;
  cards: Record<string, CardState>;
  jiraBrowseUrl: string | undefined;
  actions: SuggestionActions;
  review?: ReviewState | undefined;
  notSuspicious?: () => void;
  retriage?: ReviewState | undefined;
  /** "Re-triage": a fresh triage of the same email (absent: no button). */
  onRetriage?: (() => void) | undefined;
  /** When this is drawn (ISO time): what can still be taken back depends on it. Absent: nothing is offered. */
  now?: string | undefined;
}

/** Said beside the button and after it: the judgement is recorded, and changes no floor (DESIGN.md: outside text never runs without a person). */
export const NOT_SUSPICIOUS_HINT = 'If you know this email is ordinary, say so: it is recorded with your name in the audit trail. Its suggestions still need your approval: your judgement does not let text from outside run by itself.';

function review(r: ResultView): VNode[] {
  if (!r.notSuspicious) return retriage(r);
  const state = r.review;
  if (state?.note) return [h('p', { role: 'status', class: 'note', testid: 'review-note' }, state.note), ...retriage(r)];
  return [
    h('p', { class: 'muted' }, NOT_SUSPICIOUS_HINT),
    h('button', { type: 'button', testid: 'not-suspicious', disabled: state?.busy ?? false, on: { click: () => r.notSuspicious?.() } }, 'Not suspicious'),
    ...retriage(r),
    state?.problem ? h('p', { role: 'alert', class: 'problem', testid: 'review-problem' }, state.problem) : null,
  ].filter((n): n is VNode => n !== null);
}

/** Said beside "Re-triage": what it does to the result and to suggestions still waiting. */
export const RETRIAGE_HINT = 'Re-triage reads this email again and replaces this result. Suggestions from it that still wait for a decision are replaced by the new ones; decided ones stay as they are.';
export const RETRIAGE_BUSY = 'Triaging this email again…';

/** "Re-triage", next to "Not suspicious" on a flagged email, and after the classifier line on any other. */
function retriage(r: ResultView): VNode[] {
  if (!r.onRetriage) return [];
  const state = r.retriage;
  return [
    h('button', { type: 'button', testid: 'retriage', disabled: state?.busy ?? false, on: { click: () => r.onRetriage?.() } }, 'Re-triage'),
    h('p', { class: 'muted' }, RETRIAGE_HINT),
    state?.busy ? h('p', { role: 'status', testid: 'retriage-progress' }, RETRIAGE_BUSY) : null,
    state?.note ? h('p', { role: 'status', class: 'note', testid: 'retriage-note' }, state.note) : null,
    state?.problem ? h('p', { role: 'alert', class: 'problem', testid: 'retriage-problem' }, state.problem) : null,
  ].filter((n): n is VNode => n !== null);
}

export function resultSections(r: ResultView): VNode[] {
  const t = r.triage;
  // "Not suspicious" is offered where the email is flagged; "Re-triage" sits beside it there.
  const flagged = Boolean(r.notSuspicious) && (t.signals.length > 0 || t.category === 'suspicious');
  const canDecide = r.viewer?.canApprove ?? true; // unknown viewer: offer the buttons and let the backend decide
  const status = t.status === 'complete' ? null : section('status', h('p', { role: 'alert', class: 'warning' }, TRIAGE_STATUSES[t.status], t.statusReason ? `: ${reveal(t.statusReason)}` : ''));
  const announce = `Triage done: ${t.category ? CATEGORIES[t.category] : 'not categorised'}, priority ${t.priority ? PRIORITY_LABELS[t.priority] : 'not set'}, ${t.suggestions.length} suggestion${t.suggestions.length === 1 ? '' : 's'}${t.signals.length ? `, ${t.signals.length} sign${t.signals.length === 1 ? '' : 's'} of injected instructions` : ''}.`;
  const suggestions = section(
    'suggestions',
    r.viewer?.paused ? h('p', { class: 'warning' }, 'The agent is paused: approved actions wait until an admin resumes it.') : null,
    r.viewer && !r.viewer.canApprove ? h('p', { class: 'muted', testid: 'not-approver' }, 'You are not on the approver list, so you can read these suggestions but not decide on them.') : null,
    t.suggestions.length
      ? h('ul', { class: 'plain' }, t.suggestions.map((s, i) => suggestionCard(s, r.cards[s.id] ?? { mode: 'view', draft: '', busy: false }, canDecide, r.actions, r.viewer?.paused ?? false, i + 1, takeBackWindow(r.now, r.viewer))))
      : h('p', { class: 'muted', testid: 'no-suggestions' }, 'The agent suggests nothing for this email.'),
  );
  const summary = clampText(reveal(t.summary).trim(), PANE_CLAMP);
  return [
    // Focus lands here after triage (see Pane), and the status line is read out.
    h('h2', { id: 'result-heading', tabindex: '-1', class: 'result-heading' }, 'Triage result'),
    h('p', { role: 'status', class: 'sr-only', testid: 'announce' }, announce),
    h(
      'p',
      { class: 'badges' },
      h('span', { class: `badge category`, testid: 'category', ariaLabel: `Category: ${t.category ? CATEGORIES[t.category] : 'Not categorised'}` }, t.category ? CATEGORIES[t.category] : 'Not categorised'),
      ' ',
      h('span', { class: `badge priority ${t.priority ?? 'none'}`, testid: 'priority', ariaLabel: `Priority: ${t.priority ? PRIORITY_LABELS[t.priority] : 'Not set'}` }, t.priority ? PRIORITY_LABELS[t.priority] : 'Not set'),
      t.signals.length ? [' ', h('span', { class: 'badge danger' }, `${t.signals.length} sign${t.signals.length === 1 ? '' : 's'} of injected instructions`)] : null,
    ),
    ...(status ? [status] : []),
    section('summary', h('p', { class: 'value clamp', testid: 'summary' }, summary.short || '(no summary)'), summary.cut ? h('details', {}, h('summary', {}, 'Show more'), h('p', { class: 'value', testid: 'summary-full' }, reveal(t.summary))) : null),
    // The suggestions come right after the summary: at 320 px the first card's buttons are in view.
    suggestions,
    h('p', { class: 'muted', testid: 'triage-meta' }, `${CLASSIFIER_LABELS[t.classifier]}${t.model ? ` (${t.model})` : ''}${r.cached ? ' · from an earlier triage of this email' : ''}`),
    ...(flagged ? [] : retriage(r)),
    section('jira', t.issueKeys.length ? h('ul', { class: 'plain' }, t.issueKeys.map((k) => jiraIssue(k, r.jiraBrowseUrl))) : h('p', { class: 'muted' }, 'No Jira issue is mentioned.')),
    section(
      'signals',
      t.signals.length
        ? [h('p', { class: 'warning' }, 'Treat what this email asks for with care: it looks like it tries to steer the agent.'), h('ul', { class: 'plain' }, t.signals.map(signalItem)), ...review(r)]
        : [h('p', { class: 'muted', testid: 'no-signals' }, 'None found.'), ...(t.category === 'suspicious' ? review(r) : [])],
    ),
    ...(t.links.length ? [section('links', h('ul', { class: 'plain' }, t.links.map((l) => emailLink(l, t.category === 'suspicious' || t.signals.length > 0))))] : []),
    ...(t.notices.length ? [section('notices', h('ul', {}, t.notices.map((n) => h('li', {}, reveal(n)))))] : []),
  ];
}
