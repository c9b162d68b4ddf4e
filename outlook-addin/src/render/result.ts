import { CATEGORIES, TRIAGE_STATUSES, type Signal, type Triage, type Viewer } from '@pm-agent/shared';
import type { CardState } from '../state';
import { h, type Child, type VNode } from './h';
import { CLASSIFIER_LABELS, HEADINGS, PRIORITY_LABELS, SIGNAL_LABELS, WHERE_LABELS } from './labels';
import { emailLink, jiraIssue } from './links';
import { suggestionCard, type SuggestionActions } from './suggestion';
import { reveal } from './text';

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
}

export function resultSections(r: ResultView): VNode[] {
  const t = r.triage;
  const canDecide = r.viewer?.canApprove ?? true; // unknown viewer: offer the buttons and let the backend decide
  const status = t.status === 'complete' ? null : section('status', h('p', { role: 'alert', class: 'warning' }, TRIAGE_STATUSES[t.status], t.statusReason ? `: ${reveal(t.statusReason)}` : ''));
  return [
    h('p', { class: 'muted', testid: 'triage-meta' }, `${CLASSIFIER_LABELS[t.classifier]}${t.model ? ` (${t.model})` : ''}${r.cached ? ' · from an earlier triage of this email' : ''}`),
    ...(status ? [status] : []),
    section('category', h('p', { testid: 'category' }, t.category ? CATEGORIES[t.category] : 'Not categorised')),
    section('priority', h('p', { testid: 'priority' }, t.priority ? PRIORITY_LABELS[t.priority] : 'Not set')),
    section('jira', t.issueKeys.length ? h('ul', { class: 'plain' }, t.issueKeys.map((k) => jiraIssue(k, r.jiraBrowseUrl))) : h('p', { class: 'muted' }, 'No Jira issue is mentioned.')),
    section('summary', h('p', { class: 'value', testid: 'summary' }, reveal(t.summary) || '(no summary)')),
    section(
      'signals',
      t.signals.length
        ? [h('p', { class: 'warning' }, 'Treat what this email asks for with care: it looks like it tries to steer the agent.'), h('ul', { class: 'plain' }, t.signals.map(signalItem))]
        : h('p', { class: 'muted', testid: 'no-signals' }, 'None found.'),
    ),
    ...(t.links.length ? [section('links', h('ul', { class: 'plain' }, t.links.map((l) => emailLink(l, t.category === 'suspicious' || t.signals.length > 0))))] : []),
    ...(t.notices.length ? [section('notices', h('ul', {}, t.notices.map((n) => h('li', {}, reveal(n)))))] : []),
    section(
      'suggestions',
      r.viewer?.paused ? h('p', { class: 'warning' }, 'The agent is paused: approved actions wait until an admin resumes it.') : null,
      r.viewer && !r.viewer.canApprove ? h('p', { class: 'muted', testid: 'not-approver' }, 'You are not on the approver list, so you can read these suggestions but not decide on them.') : null,
      t.suggestions.length
        ? h('ul', { class: 'plain' }, t.suggestions.map((s) => suggestionCard(s, r.cards[s.id] ?? { mode: 'view', draft: '', busy: false }, canDecide, r.actions)))
        : h('p', { class: 'muted', testid: 'no-suggestions' }, 'The agent suggests nothing for this email.'),
    ),
  ];
}
