import React, { useState } from 'react';
import { Box, Button, ButtonGroup, Heading, Inline, Label, Lozenge, SectionMessage, Stack, Strong, Tag, Text, TextArea, User, xcss } from '@forge/react';
import {
  ACTION_CATALOGUE,
  BOUNDARY_INFO,
  OUTSIDE_TEXT_LABELS,
  TERMINAL_STATES,
  UNDO_WINDOW_DEFAULT_MINUTES,
  containsOutsideText,
  preview,
  sensitiveFindings,
  takeBackAt,
  PAGE_CLOCK_SKEW_MS,
  type Decision,
  type ExecutionResult,
  type Suggestion,
  type SuggestionState,
} from '@pm-agent/shared';
import type { SuggestionItem } from '../../common/contract';
import { EDITABLE_TEXT, editableText } from '@pm-agent/shared';
import { ClampedText, CLAMP_CHARS, HostLink, OutcomeView, UntrustedText, type Outcome } from '../components';
import { formatDuration, formatWhen } from '../format';
import { BOUNDARY_APPEARANCE, DECISION_VERBS, SOURCE_LABELS, STATE_INFO } from '../labels';
import { PayloadView } from './PayloadView';

/** What the last action on this card led to, as the panel tells it. */
export type CardOutcome = Outcome;

export interface SuggestionCardProps {
  item: SuggestionItem;
  /** From the backend's viewer answer; the backend refuses non-approvers whatever the page shows. */
  canApprove: boolean;
  busy: boolean;
  outcome?: CardOutcome | undefined;
  /** The agent is paused: nothing runs, so no countdown is shown. */
  paused?: boolean;
  /** Give the card's first decision button the keyboard focus (after the card above was decided). */
  focusFirst?: boolean;
  /** Each resolves to true when the decision was recorded. */
  onApprove(): Promise<boolean>;
  /** Without it (the inbox), the card offers no "Edit then approve". */
  onApproveEdited?(text: string): Promise<boolean>;
  onReject(reason: string): Promise<boolean>;
  /** Without it, the card offers no "Stop". */
  onStop?(): Promise<boolean>;
  /** While a decision waits for an answer: stops waiting (offered as Cancel beside "Saving…"). */
  onCancelWait?(): void;
  /** Words for what changed while the viewer looked at an older copy ("rejected this 2 minutes ago: …"). */
  changeNote?: string | undefined;
  /** After the fact; without one, the card does not offer it. */
  onRunNow?(): Promise<boolean>;
  onEditHeld?(text: string): Promise<boolean>;
  onUndo?(): Promise<boolean>;
  onRetry?(toStatus: string): Promise<boolean>;
  /** The admin's undo window (viewer.undoWindowMinutes); Undo is offered only within it. */
  undoWindowMinutes?: number | undefined;
}

type Action = 'approve' | 'edit' | 'reject' | 'stop' | 'runNow' | 'editHeld' | 'undo' | 'retry';

/** Which decisions a state allows, and how their buttons read. Total over states. Labels are stable: tests and people look for them. */
const ACTIONS_BY_STATE: Record<SuggestionState, readonly Action[]> = {
  pending: ['approve', 'edit', 'reject'],
  scheduled: ['runNow', 'editHeld', 'stop'],
  executed: ['undo'],
  failed: ['retry'],
  approved: [],
  rejected: [],
  expired: [],
  stopped: [],
  executing: [],
  dismissed: [],
  returned: [],
  handed_over: [],
  undoing: [],
  undone: [],
  superseded: [],
};
const BUTTONS: Record<Action, { label: string; appearance: 'primary' | 'default' | 'danger' | 'warning' }> = {
  approve: { label: 'Approve', appearance: 'primary' },
  edit: { label: 'Edit then approve', appearance: 'default' },
  reject: { label: 'Reject', appearance: 'danger' },
  stop: { label: 'Stop', appearance: 'warning' },
  runNow: { label: 'Run now', appearance: 'primary' },
  editHeld: { label: 'Edit before it runs', appearance: 'default' },
  undo: { label: 'Undo', appearance: 'warning' },
  retry: { label: 'Retry with another status', appearance: 'default' },
};

/** Whether the card may offer each action for this suggestion, given what the page wired up. */
function offeredActions(props: SuggestionCardProps, s: Suggestion): Record<Action, boolean> {
  const editable = Boolean(EDITABLE_TEXT[s.actionType]);
  const undoWindow = props.undoWindowMinutes ?? UNDO_WINDOW_DEFAULT_MINUTES;
  return {
    approve: true,
    edit: editable && Boolean(props.onApproveEdited),
    reject: true,
    stop: Boolean(props.onStop),
    runNow: Boolean(props.onRunNow),
    editHeld: editable && Boolean(props.onEditHeld),
    // The backend checks the window again; the button just does not linger past it.
    undo: Boolean(props.onUndo) && takeBackAt(s, new Date().toISOString(), undoWindow, PAGE_CLOCK_SKEW_MS) === 'undo',
    retry: Boolean(props.onRetry && s.result?.offeredStatuses?.length),
  };
}

const cardStyle = xcss({
  borderColor: 'color.border',
  borderStyle: 'solid',
  borderWidth: 'border.width',
  borderRadius: 'border.radius',
  padding: 'space.200',
});

/** What a card is about, for screen readers: repeated "Approve" buttons get it from their group's label. */
export function cardSubject(s: Suggestion): string {
  const about = s.issueKey ? ` on ${s.issueKey}` : '';
  const gist = preview(editableText(s.actionType, s.payload) ?? s.rationale, 48);
  return `${ACTION_CATALOGUE[s.actionType].label}${about}: “${gist}”`;
}

export function SuggestionCard(props: SuggestionCardProps) {
  const { item, canApprove, busy, outcome } = props;
  const s = item.suggestion;
  const [chosen, setMode] = useState<'view' | 'edit' | 'reject' | 'editHeld' | 'retry'>('view');
  const [draft, setDraft] = useState('');
  const [reason, setReason] = useState('');
  // After a form closes, the button that opened it gets the focus back.
  const [returnTo, setReturnTo] = useState<Action | undefined>();
  const editable = EDITABLE_TEXT[s.actionType];
  const offered = offeredActions(props, s);
  const actions = ACTIONS_BY_STATE[s.state].filter((a) => offered[a]);
  // A form only applies while its decision still does: someone else may have decided meanwhile.
  const mode = chosen !== 'view' && !actions.includes(chosen) ? 'view' : chosen;
  const finished = TERMINAL_STATES.includes(s.state);
  const close = (from: Action) => {
    setMode('view');
    setReturnTo(from);
  };

  const start: Record<Action, () => void> = {
    approve: () => void props.onApprove(),
    edit: () => {
      setDraft(editableText(s.actionType, s.payload) ?? '');
      setMode('edit');
    },
    reject: () => {
      setReason('');
      setMode('reject');
    },
    stop: () => void props.onStop?.(),
    runNow: () => void props.onRunNow?.(),
    editHeld: () => {
      setDraft(editableText(s.actionType, s.payload) ?? '');
      setMode('editHeld');
    },
    undo: () => void props.onUndo?.(),
    retry: () => setMode('retry'),
  };
  const finish = (decided: Promise<boolean>) => void decided.then((done) => done && setMode('view'));
  const subject = cardSubject(s);

  return (
    <Box xcss={cardStyle} testId={`suggestion-${s.id}`}>
      <Stack space="space.150">
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <Heading size="small" as="h3">{ACTION_CATALOGUE[s.actionType].label}</Heading>
          {finished ? null : <Lozenge appearance={BOUNDARY_APPEARANCE[s.boundary]}>{BOUNDARY_INFO[s.boundary].label}</Lozenge>}
          <Lozenge appearance={STATE_INFO[s.state].appearance} isBold>
            {STATE_INFO[s.state].label}
          </Lozenge>
          {s.edited ? <Tag text="Edited by an approver" /> : null}
          {containsOutsideText(s) ? <Lozenge appearance="moved">{OUTSIDE_TEXT_LABELS[s.provenance.source]}</Lozenge> : null}
        </Inline>
        {/* A finished card says what happened and who decided; what it would have done is history. */}
        {!finished || s.state === 'executed' ? <PayloadView suggestion={s} /> : null}
        {!finished || s.state === 'executed'
          ? sensitiveFindings(s.payload).map((f) => (
              <Text key={`${f.kind}-${f.field}`} color="color.text.warning">
                {`Looks like ${f.label} (${f.field}): it never goes out without an approval.`}
              </Text>
            ))
          : null}
        {!finished && s.edited && s.originalPayload ? <OriginalText suggestion={s} /> : null}
        {finished ? null : <WhyView suggestion={s} />}
        {item.holdLeftMs !== null && s.runAt && s.state === 'scheduled' ? <HoldView leftMs={item.holdLeftMs} runAt={s.runAt} paused={props.paused ?? false} /> : null}
        {s.decision ? <DecisionView decision={s.decision} /> : null}
        {s.state === 'handed_over' ? <Text>The agent never sends mail: the approver opens it as a reply in Outlook and sends it themselves.</Text> : null}
        {s.result ? <ResultView result={s.result} undone={s.state === 'undone'} /> : null}
        {props.changeNote && s.decision ? <ChangedNote who={s.decision.by} words={props.changeNote} /> : null}
        {props.changeNote && !s.decision ? <Text>{props.changeNote}</Text> : null}
        {/* Notes about a decision in flight ("carries it out next") are stale once the card has finished. */}
        {outcome && ('error' in outcome || !finished) ? <OutcomeView outcome={outcome} subject={subject} /> : null}
        {busy && props.onCancelWait ? (
          <Inline space="space.100" alignBlock="center">
            <Text>Saving your decision…</Text>
            <Button testId="cancel-decision" onClick={props.onCancelWait}>
              Cancel
            </Button>
          </Inline>
        ) : null}
        {canApprove && mode === 'view' && actions.length ? (
          <ButtonGroup label={`Decide on: ${subject}`}>
            {actions.map((a, i) => (
              <Button
                key={a}
                appearance={BUTTONS[a].appearance}
                isDisabled={busy}
                onClick={start[a]}
                autoFocus={returnTo === a || (props.focusFirst === true && i === 0 && returnTo === undefined)}
              >
                {BUTTONS[a].label}
              </Button>
            ))}
          </ButtonGroup>
        ) : null}
        {canApprove && (mode === 'edit' || mode === 'editHeld') && editable ? (
          <Stack space="space.100">
            <Label labelFor={`edit-${s.id}`}>{`${editable.label} (your version)`}</Label>
            <TextArea id={`edit-${s.id}`} autoFocus value={draft} onChange={(e) => setDraft(String(e.target.value ?? ''))} />
            <ButtonGroup label={`${mode === 'edit' ? 'Approve your version' : 'Save your version'}: ${subject}`}>
              <Button appearance="primary" isDisabled={busy || !draft.trim()} onClick={() => finish(mode === 'edit' ? props.onApproveEdited!(draft) : props.onEditHeld!(draft))}>
                {mode === 'edit' ? 'Approve edited text' : 'Save edit (it runs when the hold ends)'}
              </Button>
              <Button isDisabled={busy} onClick={() => close(mode)}>
                Cancel
              </Button>
            </ButtonGroup>
          </Stack>
        ) : null}
        {canApprove && mode === 'retry' ? (
          <Stack space="space.100">
            <Text>Jira offered these statuses when it refused. Move the issue to:</Text>
            <ButtonGroup label={`Retry with a status Jira offers: ${subject}`}>
              {(s.result?.offeredStatuses ?? []).map((status) => (
                <Button key={status} isDisabled={busy} onClick={() => finish(props.onRetry!(status))}>
                  {status}
                </Button>
              ))}
              <Button isDisabled={busy} onClick={() => close('retry')}>
                Cancel
              </Button>
            </ButtonGroup>
          </Stack>
        ) : null}
        {canApprove && mode === 'reject' ? (
          <Stack space="space.100">
            <Label labelFor={`reason-${s.id}`}>Why reject it? The agent and the audit trail keep your reason.</Label>
            <TextArea id={`reason-${s.id}`} autoFocus value={reason} onChange={(e) => setReason(String(e.target.value ?? ''))} />
            <ButtonGroup label={`Reject with a reason: ${subject}`}>
              <Button appearance="danger" isDisabled={busy || !reason.trim()} onClick={() => finish(props.onReject(reason.trim()))}>
                Reject with this reason
              </Button>
              <Button isDisabled={busy} onClick={() => close('reject')}>
                Cancel
              </Button>
            </ButtonGroup>
          </Stack>
        ) : null}
      </Stack>
    </Box>
  );
}

/** "‹approver› rejected this 2 minutes ago: ‹reason›", with a Jira approver shown as a Jira user. */
export function ChangedNote({ who, words }: { who: Decision['by']; words: string }) {
  return (
    <SectionMessage appearance="warning" title="Changed while you were looking">
      {who.principal === 'forge' ? (
        <Inline space="space.050" alignBlock="center" shouldWrap>
          <User accountId={who.id} />
          <Text>{words}</Text>
        </Inline>
      ) : (
        <Text>{`${who.name ?? who.id} ${words}`}</Text>
      )}
    </SectionMessage>
  );
}

function OriginalText({ suggestion }: { suggestion: Suggestion }) {
  const original = suggestion.originalPayload && editableText(suggestion.actionType, suggestion.originalPayload);
  if (original === undefined || original === null) return null;
  return (
    <Stack space="space.050">
      <Text size="small" color="color.text.subtle">
        The agent’s original text, before an approver edited it
      </Text>
      <UntrustedText value={original} />
    </Stack>
  );
}

function WhyView({ suggestion }: { suggestion: Suggestion }) {
  const p = suggestion.provenance;
  const title = p.title ? ` “${preview(p.title, 200)}”` : '';
  return (
    <Stack space="space.050">
      <Text>
        <Strong>Why the agent suggests this</Strong>
      </Text>
      <ClampedText value={suggestion.rationale} />
      <Text size="small" color="color.text.subtle">{`Came from: ${SOURCE_LABELS[p.source]}${title} (${preview(p.ref, 200)})`}</Text>
      {p.excerpt ? <Text size="small" color="color.text.subtle">{`Excerpt: “${preview(p.excerpt, CLAMP_CHARS)}”`}</Text> : null}
    </Stack>
  );
}

function HoldView({ leftMs, runAt, paused }: { leftMs: number; runAt: string; paused: boolean }) {
  // While paused nothing runs and the timer moves on resume: a countdown would be false.
  if (paused) return <Text>Held: it waits while the agent is paused, and runs after the hold delay once an admin resumes it, unless someone stops it.</Text>;
  const when = leftMs > 0 ? `Runs in ${formatDuration(leftMs)} unless someone stops it (at ${formatWhen(runAt)}).` : 'Due now: runs at the agent’s next check unless someone stops it.';
  return <Text>{when}</Text>;
}

function DecisionView({ decision }: { decision: Decision }) {
  const verb = DECISION_VERBS[decision.kind];
  const on = ` on ${formatWhen(decision.at)}`;
  return (
    <Stack space="space.050">
      {decision.by.principal === 'forge' ? (
        <Inline space="space.050" alignBlock="center">
          <Text>{`${verb} by`}</Text>
          <User accountId={decision.by.id} />
          <Text>{on}</Text>
        </Inline>
      ) : (
        <Text>{`${verb} by ${decision.by.name ?? decision.by.id}${on}`}</Text>
      )}
      {decision.reason ? <Text>{`Reason: ${decision.reason}`}</Text> : null}
    </Stack>
  );
}

function ResultView({ result, undone }: { result: ExecutionResult; undone: boolean }) {
  return (
    <SectionMessage appearance={result.ok ? 'success' : 'error'} title={undone ? 'Undone' : result.ok ? 'Done' : 'It did not run'}>
      <Text>{result.summary}</Text>
      {result.link ? <HostLink href={result.link} label="Open the result" /> : null}
    </SectionMessage>
  );
}
