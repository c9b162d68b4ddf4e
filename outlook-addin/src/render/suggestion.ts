import { ACTION_CATALOGUE, BOUNDARY_INFO, EDITABLE_TEXT, OUTSIDE_TEXT_LABELS, QUOTED_LABEL, TERMINAL_STATES, containsOutsideText, payloadTrust, quotedSegments, sensitiveFindings, takeBackAt, PAGE_CLOCK_SKEW_MS, UNDO_WINDOW_DEFAULT_MINUTES, type Suggestion, type Viewer } from '@pm-agent/shared';
import { clampText } from '@pm-agent/shared';
import type { CardState } from '../state';
import { address } from './address';
import { h, type VNode } from './h';
import { openLinkButton } from './links';
import { PAYLOAD_FIELDS } from '@pm-agent/shared';
import { BUTTONS, REPLY_ACTIONS, STATE_LABELS } from './labels';
import { PANE_CLAMP, reveal, when } from './text';

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
  /** Records the approval (handed to the person) and opens Outlook's reply form with the text. */
  reply(s: Suggestion): void;
  /** "Show more" / "Show less" on the card's long text. */
  toggleMore(s: Suggestion): void;
  /** Stops waiting for the decision in flight. */
  cancelDecision(s: Suggestion): void;
  /** Resends the decision that got no answer (same Idempotency-Key). */
  retryDecision(s: Suggestion): void;
  /** Takes back a rejection, dismissal or stop: the suggestion waits for a decision again. */
  reopen(s: Suggestion): void;
  /** Takes back an executed action that has an undo (removes the comment the agent posted). */
  undo(s: Suggestion): void;
}

/** When a card is drawn and the undo window the admin set: what can still be taken back (Reopen, Undo). */
export interface TakeBackWindow {
  now: string;
  minutes: number;
}

/** The window for cards drawn at `now`, with the viewer's undo window (the default until the viewer is known). */
export function takeBackWindow(now: string | undefined, viewer: Pick<Viewer, 'undoWindowMinutes'> | null | undefined): TakeBackWindow | undefined {
  return now ? { now, minutes: viewer?.undoWindowMinutes ?? UNDO_WINDOW_DEFAULT_MINUTES } : undefined;
}

const SOURCE_LABELS: Record<Suggestion['provenance']['source'], string> = { email: 'Email', jira_issue: 'Jira issue', agent: 'The agent itself' };
const DECISION_VERBS: Record<NonNullable<Suggestion['decision']>['kind'], string> = { approved: 'Approved', rejected: 'Rejected', stopped: 'Stopped', expired: 'Expired', dismissed: 'Dismissed', returned: 'Sent back to the agent', superseded: 'Replaced by a fresh triage' };

/** "Rejected by Pat Morgan at 2026-12-01 17:01 UTC": who did what, when, in words (never a raw id). */
export function decidedInWords(s: Suggestion): string | undefined {
  if (!s.decision) return undefined;
  const who = s.decision.by.name ?? (s.decision.by.principal === 'forge' ? 'a Jira user' : 'someone');
  const verb = s.state === 'handed_over' ? 'Handed over to send' : DECISION_VERBS[s.decision.kind];
  return `${verb} by ${reveal(who)} at ${when(s.decision.at)}`;
}

function fieldValue(value: unknown): string {
  if (typeof value === 'string') return reveal(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map(reveal).join(', ');
  return reveal(JSON.stringify(value));
}

/**
 * What a card is about, for screen readers: each repeated button names its suggestion. Built from
 * our own labels and its position only: untrusted text never goes into an attribute.
 */
export function cardSubject(s: Suggestion, position?: number): string {
  const about = s.issueKey ? ` on ${s.issueKey}` : '';
  return `${ACTION_CATALOGUE[s.actionType].label}${about}${position ? ` (suggestion ${position})` : ''}`;
}

function shown(value: string, expanded: boolean): string {
  return expanded ? value : clampText(value, PANE_CLAMP).short;
}

/** The segments cut to what clampText keeps of the whole text, so a collapsed field still marks its quoted part. */
function clampSegments<T extends { text: string }>(segments: T[], value: string, expanded: boolean): T[] {
  const { short, cut } = clampText(value, PANE_CLAMP);
  if (expanded || !cut) return segments;
  const ellipsis = short.endsWith('…');
  let budget = ellipsis ? short.length - 1 : short.length;
  const out: T[] = [];
  for (const seg of segments) {
    if (budget <= 0) break;
    out.push({ ...seg, text: seg.text.slice(0, budget) });
    budget -= seg.text.length;
  }
  const last = out[out.length - 1];
  if (last && ellipsis) out[out.length - 1] = { ...last, text: `${last.text}…` };
  return out;
}

/** A field's text, with the pieces copied from outside marked as quoted; long text clamped until the reader expands the card. */
function fieldNode(s: Suggestion, key: string, origins: ReturnType<typeof payloadTrust>['fields'], expanded: boolean): VNode {
  const value = s.payload[key];
  const cls = expanded ? 'value' : 'value clamp';
  // Lists of strings in payloads are recipients: each address whole, breaking only at "@" and dots.
  if (Array.isArray(value) && value.length && value.every((v) => typeof v === 'string')) return h('dd', { class: cls }, value.flatMap((v: string, i) => (i ? [', ', address(reveal(v))] : [address(reveal(v))])));
  if (typeof value !== 'string') return h('dd', { class: cls }, shown(fieldValue(value), expanded));
  const segments = clampSegments(quotedSegments(value, origins[key], s.textOrigin?.[key]), value, expanded);
  return h('dd', { class: cls }, segments.map((seg) => (seg.quoted ? h('span', { class: 'quoted outside', testid: 'quoted', title: QUOTED_LABEL }, reveal(seg.text)) : reveal(seg.text))));
}

function payloadList(s: Suggestion, expanded: boolean): VNode {
  const known = PAYLOAD_FIELDS[s.actionType];
  const rows = known.filter((f) => s.payload[f.key] !== undefined).map((f) => [f.label, f.key] as const);
  const extra = Object.keys(s.payload)
    .filter((k) => !known.some((f) => f.key === k))
    .map((k) => [k, k] as const);
  const origins = payloadTrust(s).fields;
  return h('dl', { class: 'payload', testid: 'payload' }, [...rows, ...extra].flatMap(([label, key]) => [h('dt', {}, label), fieldNode(s, key, origins, expanded)]));
}

function history(s: Suggestion, paused = false): VNode[] {
  const out: VNode[] = [];
  if (s.state === 'scheduled' && s.runAt && !paused) out.push(h('p', { class: 'muted' }, `Runs at ${when(s.runAt)} unless someone stops it.`));
  if (s.decision) {
    out.push(h('p', { class: 'muted', testid: 'decision' }, `${decidedInWords(s)}${s.decision.reason ? `: ${reveal(s.decision.reason)}` : ''}`));
  }
  if (s.result) {
    const open = s.result.link ? openLinkButton(s.result.link) : null;
    out.push(h('p', { class: s.result.ok ? 'ok' : 'problem', testid: 'result' }, reveal(s.result.summary)), ...(open ? [open] : []));
  }
  return out;
}

function controls(s: Suggestion, card: CardState, canDecide: boolean, actions: SuggestionActions, position?: number, window?: TakeBackWindow): VNode[] {
  const editable = EDITABLE_TEXT[s.actionType];
  const subject = cardSubject(s, position);
  const reply = REPLY_ACTIONS.has(s.actionType) && typeof s.payload.body === 'string';
  const btn = (label: string, cls: string | undefined, click: () => void, extra: { autofocus?: boolean } = {}) =>
    h('button', { type: 'button', ...(cls ? { class: cls } : {}), ariaLabel: `${label}: ${subject}`, disabled: card.busy, ...extra, on: { click } }, label);
  // The forms apply only while the suggestion still waits for a decision: someone else may have decided meanwhile.
  if (card.mode === 'edit' && editable && s.state === 'pending') {
    return [
      h('label', { htmlFor: `edit-${s.id}` }, `${editable.label} (your version; Escape cancels)`),
      h('textarea', { id: `edit-${s.id}`, testid: 'edit-text', rows: 8, value: card.draft, autofocus: true, disabled: card.busy, on: { input: (t) => actions.draft(s, t), escape: () => actions.cancel(s) } }),
      h('div', { class: 'buttons' }, btn(reply ? BUTTONS.saveAndReply : BUTTONS.saveAndApprove, 'primary', () => actions.saveEdit(s)), btn(BUTTONS.cancel, undefined, () => actions.cancel(s))),
    ];
  }
  if (card.mode === 'reject' && s.state === 'pending') {
    return [
      h('label', { htmlFor: `reject-${s.id}` }, 'Why are you rejecting it? The agent learns from this. (Escape cancels)'),
      h('textarea', { id: `reject-${s.id}`, testid: 'reject-reason', rows: 3, value: card.draft, autofocus: true, disabled: card.busy, on: { input: (t) => actions.draft(s, t), escape: () => actions.cancel(s) } }),
      h('div', { class: 'buttons' }, btn(BUTTONS.confirmReject, 'danger', () => actions.confirmReject(s)), btn(BUTTONS.cancel, undefined, () => actions.cancel(s))),
    ];
  }
  const buttons: VNode[] = [];
  if (canDecide && s.state === 'pending') {
    // An email is never sent by the agent: its primary action hands it to the person as a reply.
    if (reply) buttons.push(btn(BUTTONS.reply, 'primary', () => actions.reply(s)));
    else buttons.push(btn(BUTTONS.approve, 'primary', () => actions.approve(s)));
    if (editable) buttons.push(btn(reply ? BUTTONS.editReply : BUTTONS.edit, undefined, () => actions.startEdit(s)));
    buttons.push(btn(BUTTONS.reject, 'danger', () => actions.startReject(s)));
  }
  if (canDecide && s.state === 'scheduled') buttons.push(btn(BUTTONS.stop, 'danger', () => actions.stop(s)));
  if (reply && s.state === 'handed_over') buttons.push(btn(BUTTONS.replyAgain, undefined, () => actions.reply(s)));
  // Not again after the backend refused it for this card as it is (its words are on the card).
  const takeBack = canDecide && window && !card.takeBackRefused ? takeBackAt(s, window.now, window.minutes, PAGE_CLOCK_SKEW_MS) : null;
  if (takeBack) buttons.push(btn(TAKE_BACK[takeBack].label, undefined, () => TAKE_BACK[takeBack].act(actions, s)));
  return buttons.length ? [h('div', { class: 'buttons', role: 'group', ariaLabel: `Decide on: ${subject}` }, buttons)] : [];
}

/** The buttons that take a finished suggestion back, within the undo window. */
const TAKE_BACK: Record<'reopen' | 'undo', { label: string; act(actions: SuggestionActions, s: Suggestion): void }> = {
  reopen: { label: BUTTONS.reopen, act: (actions, s) => actions.reopen(s) },
  undo: { label: BUTTONS.undo, act: (actions, s) => actions.undo(s) },
};

export function suggestionCard(s: Suggestion, card: CardState, canDecide: boolean, actions: SuggestionActions, paused = false, position?: number, window?: TakeBackWindow): VNode {
  const p = s.provenance;
  const finished = TERMINAL_STATES.includes(s.state);
  const expanded = card.expanded === true;
  const long = [...Object.values(s.payload).map((v) => fieldValue(v)), s.rationale].some((t) => clampText(t, PANE_CLAMP).cut);
  return h(
    'li',
    { class: 'suggestion', testid: `suggestion-${s.actionType}` },
    h('h3', { id: `title-${s.id}`, tabindex: '-1' }, ACTION_CATALOGUE[s.actionType].label),
    h(
      'p',
      { class: 'meta' },
      finished ? null : [h('span', { class: `badge boundary ${s.boundary}` }, BOUNDARY_INFO[s.boundary].label), ' '],
      h('span', { class: `badge state ${s.state}`, testid: 'suggestion-state' }, STATE_LABELS[s.state]),
      s.edited ? ' · edited by an approver' : null,
      containsOutsideText(s) ? [' ', h('span', { class: 'badge outside', testid: 'outside-text' }, OUTSIDE_TEXT_LABELS[s.provenance.source])] : null,
    ),
    // A finished card says what happened and who decided; what it would have done is history.
    finished ? null : payloadList(s, expanded),
    ...(finished ? [] : sensitiveFindings(s.payload).map((f) => h('p', { class: 'warning', testid: 'sensitive' }, `Looks like ${f.label} (${f.field}): it never goes out without an approval.`))),
    !finished && long ? h('button', { type: 'button', class: 'link', ariaLabel: `${expanded ? 'Show less' : 'Show more'}: ${cardSubject(s, position)}`, testid: 'show-more', on: { click: () => actions.toggleMore(s) } }, expanded ? 'Show less' : 'Show more') : null,
    history(s, paused),
    controls(s, card, canDecide, actions, position, window),
    card.busy
      ? h(
          'div',
          { class: 'progress', testid: 'card-waiting' },
          h('p', { role: 'status', ariaLive: 'polite', class: 'muted' }, 'Saving… Cancel stops waiting.'),
          h('button', { type: 'button', testid: 'cancel-decision', ariaLabel: `${BUTTONS.stopWaiting}: ${cardSubject(s, position)}`, on: { click: () => actions.cancelDecision(s) } }, BUTTONS.stopWaiting),
        )
      : null,
    card.problem ? h('p', { role: 'alert', class: 'problem', testid: 'card-problem' }, card.problem) : null,
    card.problem && card.retry && !card.busy
      ? h('button', { type: 'button', class: 'primary', testid: 'retry-decision', ariaLabel: `${BUTTONS.retryDecision}: ${cardSubject(s, position)}`, on: { click: () => actions.retryDecision(s) } }, BUTTONS.retryDecision)
      : null,
    card.stale ? h('p', { role: 'alert', class: 'warning', testid: 'card-stale' }, card.stale) : null,
    card.note ? h('p', { role: 'status', class: 'note', testid: 'card-note' }, card.note) : null,
    // Why and where from come after the buttons: at 320 × 600 the first card's buttons stay in view.
    finished ? null : h('p', { class: `value${expanded ? '' : ' clamp'}` }, h('strong', {}, 'Why: '), shown(reveal(s.rationale), expanded)),
    finished ? null : h('p', { class: 'value muted clamp' }, `From: ${SOURCE_LABELS[p.source]}${p.title ? ` “${shown(reveal(p.title), false)}”` : ''}`),
  );
}
