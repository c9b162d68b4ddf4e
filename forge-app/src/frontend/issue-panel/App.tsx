import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Heading, Inline, Stack } from '@forge/react';
import { OPEN_STATES, PERSON_CARRIES_OUT, liveChanges, type Suggestion, type Viewer } from '@pm-agent/shared';
import type { ResolverError, Result, SuggestionItem } from '../../common/contract';
import { call, CANCELLED } from '../bridge';
import { ErrorMessage, InboxLink } from '../components';
import { MOVING_STATES } from '../labels';
import { useLiveRefresh } from '../use-live-refresh';
import { useWaits } from '../use-waits';
import { SuggestionCard, type CardOutcome } from './SuggestionCard';
import { afterTheFactHandlers } from '../after-the-fact';
import { EmptyView, LoadingView, NotApproverNotice, PausedNotice } from './StateViews';

/** After a decision the card follows the suggestion until it has run: every POLL_MS, at most MAX_POLLS times. */
export const POLL_MS = 1_000;
const MAX_POLLS = 30;

type Load = { status: 'loading' } | { status: 'failed'; error: ResolverError } | { status: 'loaded'; issueKey: string; viewer: Viewer };

const NOTES = {
  approve: 'Approved. The agent carries it out next; this card shows the result when it has.',
  handOver: 'Approved. Open it as a reply from the Outlook pane to send it: the agent never sends mail.',
  reject: 'Rejected. Your reason is kept with the suggestion and in the audit trail.',
  stop: 'Stopped. It will not run.',
} as const;

const noteFor = (s: Suggestion, _kind: 'approve') => (PERSON_CARRIES_OUT.has(s.actionType) ? NOTES.handOver : NOTES.approve);

/** The issue panel: this issue's suggestions from the agent, and the decisions on them. All calls go through the resolvers. */
export function IssuePanelApp() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [items, setItems] = useState<SuggestionItem[]>([]);
  const [outcomes, setOutcomes] = useState<Record<string, CardOutcome | undefined>>({});
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [showHistory, setShowHistory] = useState(false);
  // After a decision the keyboard focus moves to the next card still waiting (the decided card's buttons are gone).
  const [focusAfter, setFocusAfter] = useState<string | undefined>();
  // A second click can arrive before the first one's re-render disables the buttons.
  const inFlight = useRef(new Set<string>());
  // The wait in progress, per call (the list, or a card's decision): the page's Cancel aborts it.
  const { start: startWait, stop: stopWait } = useWaits();
  // What the viewer has seen of each suggestion (their own decisions included), and the words for
  // what changed under them since: live refresh (every 10 s) tells, never an HTTP status.
  const seen = useRef(new Map<string, Suggestion>());
  const shown = useRef<string[]>([]);
  shown.current = items.map((i) => i.suggestion.id);
  const [notes, setNotes] = useState<Record<string, string>>({});

  const replace = useCallback((next: SuggestionItem) => {
    seen.current.set(next.suggestion.id, next.suggestion);
    setItems((list) => list.map((i) => (i.suggestion.id === next.suggestion.id ? next : i)));
  }, []);
  const setOutcome = (id: string, outcome: CardOutcome | undefined) => setOutcomes((o) => ({ ...o, [id]: outcome }));
  const setBusyFor = (id: string, on: boolean) =>
    setBusy((b) => {
      const next = new Set(b);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const refresh = useCallback(async () => {
    setLoad({ status: 'loading' });
    const res = await call('getIssueSuggestions', {}, { signal: startWait('list'), error: CANCELLED.read });
    if (!res.ok) return setLoad({ status: 'failed', error: res.error });
    for (const i of res.items) seen.current.set(i.suggestion.id, i.suggestion);
    setItems(res.items);
    setOutcomes({});
    setNotes({});
    setLoad({ status: 'loaded', issueKey: res.issueKey, viewer: res.viewer });
  }, [startWait]);

  useEffect(() => void refresh(), [refresh]);

  /**
   * A quiet poll: nothing is redrawn unless something changed, cards keep their open forms and
   * drafts (same keys), and nothing takes the focus (a card arriving is not "next" after a decision).
   */
  const poll = useCallback(async (): Promise<boolean> => {
    const res = await call('getIssueSuggestions', {});
    if (!res.ok) return false;
    const { different, notes: changed, items: latest } = liveChanges(seen.current, shown.current, res.items.map((i) => i.suggestion), new Date());
    if (Object.keys(changed).length) setNotes((n) => ({ ...n, ...changed }));
    if (different) {
      setFocusAfter(undefined);
      setItems(res.items.map((i, n) => ({ ...i, suggestion: latest[n]! })));
    }
    setLoad((l) => (l.status === 'loaded' && JSON.stringify(l.viewer) !== JSON.stringify(res.viewer) ? { ...l, viewer: res.viewer } : l));
    return true;
  }, []);
  useLiveRefresh(poll, load.status === 'loaded');

  /** Follows a suggestion that is about to run until it has (or the panel stops asking). */
  const follow = useCallback(
    (id: string) => {
      let polls = 0;
      const tick = async () => {
        polls += 1;
        const res = await call('getSuggestion', { id });
        if (!res.ok) return; // keep what is shown; Refresh tells more
        replace(res.item);
        if (MOVING_STATES.has(res.item.suggestion.state) && polls < MAX_POLLS) setTimeout(() => void tick(), POLL_MS);
      };
      setTimeout(() => void tick(), POLL_MS);
    },
    [replace],
  );

  async function decide(id: string, note: string, run: (cancel: { signal: AbortSignal; error: ResolverError }) => Promise<Result<{ item: SuggestionItem }>>): Promise<boolean> {
    if (inFlight.current.has(id)) return false;
    inFlight.current.add(id);
    setBusyFor(id, true);
    setOutcome(id, undefined);
    try {
      const res = await run({ signal: startWait(id), error: CANCELLED.decide });
      if (res.ok) {
        replace(res.item);
        setOutcome(id, { note });
        setFocusAfter(id);
        if (MOVING_STATES.has(res.item.suggestion.state)) follow(id);
        return true;
      }
      // A stale view: show the suggestion as it is now, so the approver decides on what will really run.
      if (res.error.current) replace({ suggestion: res.error.current, holdLeftMs: null });
      setOutcome(id, { error: res.error });
      return false;
    } finally {
      inFlight.current.delete(id);
      setBusyFor(id, false);
    }
  }

  if (load.status === 'loading') return <LoadingView onCancel={() => stopWait('list')} />;
  if (load.status === 'failed') return <ErrorMessage error={load.error} onRetry={() => void refresh()} />;
  const { viewer, issueKey } = load;
  // Waiting first; finished ones under "History (n)". A card decided in this view stays in place
  // until the next refresh, so the person sees what their decision led to.
  // So does one that changed under the viewer: its note says what happened, where they looked.
  const stays = (i: SuggestionItem) => OPEN_STATES.has(i.suggestion.state) || outcomes[i.suggestion.id] !== undefined || notes[i.suggestion.id] !== undefined;
  const waiting = items.filter(stays);
  const history = items.filter((i) => !stays(i));
  const focusIndex = focusAfter ? waiting.findIndex((i) => i.suggestion.id === focusAfter) : -1;
  const nextToFocus = focusIndex >= 0 ? waiting.slice(focusIndex + 1).concat(waiting.slice(0, focusIndex)).find((i) => OPEN_STATES.has(i.suggestion.state) && i.suggestion.state !== 'executing')?.suggestion.id : undefined;
  const card = ({ suggestion: s, holdLeftMs }: SuggestionItem) => (
    <SuggestionCard
      key={s.id}
      item={{ suggestion: s, holdLeftMs }}
      canApprove={viewer.canApprove}
      busy={busy.has(s.id)}
      outcome={outcomes[s.id]}
      paused={viewer.paused}
      focusFirst={s.id === nextToFocus}
      changeNote={notes[s.id]}
      onApprove={() => decide(s.id, noteFor(s, 'approve'), (c) => call('approve', { id: s.id, payloadHash: s.payloadHash }, c))}
      onApproveEdited={(text) => decide(s.id, noteFor(s, 'approve'), (c) => call('approve', { id: s.id, payloadHash: s.payloadHash, editedText: text }, c))}
      onReject={(reason) => decide(s.id, NOTES.reject, (c) => call('reject', { id: s.id, reason }, c))}
      onStop={() => decide(s.id, NOTES.stop, (c) => call('stop', { id: s.id }, c))}
      onCancelWait={() => stopWait(s.id)}
      undoWindowMinutes={viewer.undoWindowMinutes}
      {...afterTheFactHandlers(s, (note, payload) => decide(s.id, note, (c) => call('panelAfter', payload, c)))}
    />
  );
  return (
    <Stack space="space.200">
      {viewer.paused ? <PausedNotice /> : null}
      {viewer.canApprove ? null : <NotApproverNotice />}
      {items.length === 0 ? <EmptyView issueKey={issueKey} /> : null}
      {waiting.map(card)}
      {history.length ? (
        <Stack space="space.100">
          <Heading size="small" as="h2">{`History (${history.length})`}</Heading>
          <Inline>
            <Button appearance="subtle" testId="history-toggle" onClick={() => setShowHistory(!showHistory)}>
              {showHistory ? 'Hide finished suggestions' : `Show ${history.length} finished suggestion${history.length === 1 ? '' : 's'}`}
            </Button>
          </Inline>
          {showHistory ? history.map(card) : null}
        </Stack>
      ) : null}
      <Inline>
        <Button appearance="subtle" onClick={() => void refresh()}>
          Refresh
        </Button>
        <InboxLink />
      </Inline>
    </Stack>
  );
}
