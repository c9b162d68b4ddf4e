import { ACTION_CATALOGUE, BOUNDARY_INFO, OUTSIDE_TEXT_LABELS, QUOTED_LABEL, containsOutsideText, payloadTrust, quotedSegments, sensitiveFindings, type Suggestion } from '@pm-agent/shared';
import { EDITABLE_TEXT } from '@pm-agent/shared';
import type { CardState } from '../state';
import { h, type VNode } from './h';
import { openLinkButton } from './links';
import { PAYLOAD_FIELDS } from '@pm-agent/shared';
import { BUTTONS, REPLY_ACTIONS, STATE_LABELS } from './labels';
import { reveal, when } from './text';

/** One suggestion with approve / edit / reject, as in the Jira panel, plus "Open reply" for replies. */
export interface SuggestionActions {
  approve(s: Suggestion): void;
  startEdit(s: Suggestion): void;
  startReject(s: Suggestion): void;
  cancel(s: Suggestion): void;
  draft(s: Suggestion, text: string): void;
  saveEdit(s: Suggestion): void;
  confirmReject(s: Suggestion): void;
  stop(s: Suggestion): void;
  reply(s: Suggestion): void;
}

const SOURCE_LABELS: Record<Suggestion['provenance']['source'], string> = { email: 'Email', jira_issue: 'Jira issue', agent: 'The agent itself' };
const DECISION_VERBS: Record<NonNullable<Suggestion['decision']>['kind'], string> = { approved: 'Approved', rejected: 'Rejected', stopped: 'Stopped', expired: 'Expired', dismissed: 'Dismissed', returned: 'Sent back to the agent' };

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return reveal(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map(reveal).join(', ');
  return reveal(JSON.stringify(value));
}

/** A field's text, with the pieces copied from outside marked as quoted. */
function fieldNode(s: Suggestion, key: string, origins: ReturnType<typeof payloadTrust>['fields']): VNode {
  const value = s.payload[key];
  if (typeof value !== 'string') return h('dd', { class: 'value' }, fieldValue(value));
  const segments = quotedSegments(value, origins[key], s.textOrigin?.[key]);
  return h('dd', { class: 'value' }, segments.map((seg) => (seg.quoted ? h('span', { class: 'quoted outside', testid: 'quoted', title: QUOTED_LABEL }, reveal(seg.text)) : reveal(seg.text))));
}

function payloadList(s: Suggestion): VNode {
  const known = PAYLOAD_FIELDS[s.actionType];
  const rows = known.filter((f) => s.payload[f.key] !== undefined).map((f) => [f.label, f.key] as const);
  const extra = Object.keys(s.payload)
    .filter((k) => !known.some((f) => f.key === k))
    .map((k) => [k, k] as const);
  const origins = payloadTrust(s).fields;
  return h('dl', { class: 'payload', testid: 'payload' }, [...rows, ...extra].flatMap(([label, key]) => [h('dt', {}, label), fieldNode(s, key, origins)]));
}

function history(s: Suggestion): VNode[] {
  const out: VNode[] = [];
  if (s.state === 'scheduled' && s.runAt) out.push(h('p', { class: 'muted' }, `Runs at ${when(s.runAt)} unless someone stops it.`));
  if (s.decision) {
    const who = s.decision.by.name ?? s.decision.by.id;
    out.push(h('p', { class: 'muted', testid: 'decision' }, `${DECISION_VERBS[s.decision.kind]} by ${reveal(who)} at ${when(s.decision.at)}${s.decision.reason ? `: ${reveal(s.decision.reason)}` : ''}`));
  }
  if (s.result) {
    const open = s.result.link ? openLinkButton(s.result.link) : null;
    out.push(h('p', { class: s.result.ok ? 'ok' : 'problem', testid: 'result' }, reveal(s.result.summary)), ...(open ? [open] : []));
  }
  return out;
}

function controls(s: Suggestion, card: CardState, canDecide: boolean, actions: SuggestionActions): VNode[] {
  const editable = EDITABLE_TEXT[s.actionType];
  if (card.mode === 'edit' && editable) {
    return [
      h('label', { htmlFor: `edit-${s.id}` }, editable.label),
      h('textarea', { id: `edit-${s.id}`, testid: 'edit-text', rows: 8, value: card.draft, autofocus: true, disabled: card.busy, on: { input: (t) => actions.draft(s, t) } }),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', class: 'primary', disabled: card.busy, on: { click: () => actions.saveEdit(s) } }, BUTTONS.saveAndApprove),
        h('button', { type: 'button', disabled: card.busy, on: { click: () => actions.cancel(s) } }, BUTTONS.cancel),
      ),
    ];
  }
  if (card.mode === 'reject') {
    return [
      h('label', { htmlFor: `reject-${s.id}` }, 'Why are you rejecting it? The agent learns from this.'),
      h('textarea', { id: `reject-${s.id}`, testid: 'reject-reason', rows: 3, value: card.draft, autofocus: true, disabled: card.busy, on: { input: (t) => actions.draft(s, t) } }),
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'button', class: 'danger', disabled: card.busy, on: { click: () => actions.confirmReject(s) } }, BUTTONS.confirmReject),
        h('button', { type: 'button', disabled: card.busy, on: { click: () => actions.cancel(s) } }, BUTTONS.cancel),
      ),
    ];
  }
  const buttons: VNode[] = [];
  if (canDecide && s.state === 'pending') {
    buttons.push(h('button', { type: 'button', class: 'primary', disabled: card.busy, on: { click: () => actions.approve(s) } }, BUTTONS.approve));
    if (editable) buttons.push(h('button', { type: 'button', disabled: card.busy, on: { click: () => actions.startEdit(s) } }, BUTTONS.edit));
    buttons.push(h('button', { type: 'button', class: 'danger', disabled: card.busy, on: { click: () => actions.startReject(s) } }, BUTTONS.reject));
  }
  if (canDecide && s.state === 'scheduled') buttons.push(h('button', { type: 'button', class: 'danger', disabled: card.busy, on: { click: () => actions.stop(s) } }, BUTTONS.stop));
  if (REPLY_ACTIONS.has(s.actionType) && typeof s.payload.body === 'string') {
    buttons.push(h('button', { type: 'button', title: "Opens Outlook's reply form with this text; you send it yourself.", on: { click: () => actions.reply(s) } }, BUTTONS.reply));
  }
  return buttons.length ? [h('div', { class: 'buttons' }, buttons)] : [];
}

export function suggestionCard(s: Suggestion, card: CardState, canDecide: boolean, actions: SuggestionActions): VNode {
  const p = s.provenance;
  return h(
    'li',
    { class: 'suggestion', testid: `suggestion-${s.actionType}` },
    h('h3', {}, ACTION_CATALOGUE[s.actionType].label),
    h('p', { class: 'meta' }, h('span', { class: `boundary ${s.boundary}` }, BOUNDARY_INFO[s.boundary].label), ' · ', h('span', { testid: 'suggestion-state' }, STATE_LABELS[s.state]), s.edited ? ' · edited by an approver' : null),
    containsOutsideText(s) ? h('p', { class: 'badge outside', testid: 'outside-text' }, OUTSIDE_TEXT_LABELS[s.provenance.source]) : null,
    payloadList(s),
    ...sensitiveFindings(s.payload).map((f) => h('p', { class: 'warning', testid: 'sensitive' }, `Looks like ${f.label} (${f.field}): it never goes out without an approval.`)),
    h('p', { class: 'value' }, h('strong', {}, 'Why: '), reveal(s.rationale)),
    h('p', { class: 'value muted' }, `From: ${SOURCE_LABELS[p.source]}${p.title ? ` “${reveal(p.title)}”` : ''}`),
    REPLY_ACTIONS.has(s.actionType) ? h('p', { class: 'muted' }, 'The agent never sends mail: "Open reply" puts this text in Outlook\'s reply form, for you to send.') : null,
    history(s),
    controls(s, card, canDecide, actions),
    card.busy ? h('p', { role: 'status', ariaLive: 'polite', class: 'muted' }, 'Saving…') : null,
    card.problem ? h('p', { role: 'alert', class: 'problem', testid: 'card-problem' }, card.problem) : null,
    card.note ? h('p', { role: 'status', class: 'note', testid: 'card-note' }, card.note) : null,
  );
}
