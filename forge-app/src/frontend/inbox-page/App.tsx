import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, ButtonGroup, Checkbox, Heading, Inline, Label, Lozenge, SectionMessage, Select, Stack, Strong, Text, Textfield, User, xcss } from '@forge/react';
import {
  ACTION_CATALOGUE,
  ACTION_TYPES,
  BULK_MAX,
  INBOX_GROUPS,
  INBOX_GROUP_NAMES,
  UNDO_WINDOW_DEFAULT_MINUTES,
  takeBackAt,
  PAGE_CLOCK_SKEW_MS,
  type BulkItemResult,
  type InboxCounts,
  type InboxGroup,
  type InboxQuery,
  type Suggestion,
  type Viewer,
} from '@pm-agent/shared';
import type { PayloadOf, ResolverError, Result, SuggestionItem } from '../../common/contract';
import { call, CANCELLED } from '../bridge';
import { ErrorMessage } from '../components';
import { STATE_INFO, SOURCE_LABELS } from '../labels';
import { changedUnderViewer } from '../live';
import { useLiveRefresh } from '../use-live-refresh';
import { useWaits } from '../use-waits';
import { LoadingView } from '../issue-panel/StateViews';
import { SuggestionCard } from '../issue-panel/SuggestionCard';
import { afterTheFactHandlers } from '../after-the-fact';
import { ageOf, firstLineOf, targetOf, typeLabel } from './summary';

/**
 * The approvals inbox (jira:globalPage): every suggestion the viewer may see, filtered, searched
 * and paged by the backend; one line per suggestion, expandable to the issue panel's full card;
 * bulk approve or reject of the selected ones (or all waiting ones in the filter, up to 50), each
 * bound to the payload the viewer saw. It refreshes itself (live.ts) and says in words what
 * changed under the viewer.
 */

interface Filters {
  group: InboxGroup | 'all';
  actionType: string;
  source: string;
  issue: string;
  outside: boolean;
  q: string;
}
const START: Filters = { group: 'waiting', actionType: '', source: '', issue: '', outside: false, q: '' };
const PAGE_SIZE = 20;

type Data = { viewer: Viewer; items: SuggestionItem[]; counts: InboxCounts; total: number; next: string | null };
type Load = { status: 'loading' } | { status: 'failed'; error: ResolverError } | { status: 'loaded'; data: Data };
type BulkReport = { decision: 'approve' | 'reject'; results: Array<BulkItemResult & { label: string; note: string | null }> } | { error: ResolverError };

const TYPE_OPTIONS = [{ label: 'Any action type', value: '' }, ...ACTION_TYPES.map((t) => ({ label: ACTION_CATALOGUE[t].label, value: t }))];
const SOURCE_OPTIONS = [{ label: 'Any source', value: '' }, ...(['email', 'jira_issue', 'agent'] as const).map((s) => ({ label: SOURCE_LABELS[s], value: s }))];

function toQuery(f: Filters, cursor: string | undefined, limit = PAGE_SIZE): InboxQuery {
  return {
    group: f.group,
    ...(f.actionType ? { actionType: f.actionType as InboxQuery['actionType'] } : {}),
    ...(f.source ? { source: f.source as InboxQuery['source'] } : {}),
    ...(f.issue.trim() ? { issue: f.issue.trim().toLowerCase() === 'none' ? 'none' : f.issue.trim().toUpperCase() } : {}),
    ...(f.outside ? { outside: 'true' as const } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(cursor ? { cursor } : {}),
    limit,
  };
}

const rowStyle = xcss({ borderColor: 'color.border', borderStyle: 'solid', borderWidth: 'border.width', borderRadius: 'border.radius', padding: 'space.100' });

export function InboxApp() {
  const [filters, setFilters] = useState<Filters>(START);
  const [draft, setDraft] = useState({ q: '', issue: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlyMap<string, Suggestion>>(new Map());
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<BulkReport | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  // Suggestions that left this view because someone else decided them while the viewer looked.
  const [gone, setGone] = useState<Array<{ s: Suggestion; note: string }>>([]);
  const watched = useRef<string[]>([]);
  // What the viewer has seen of each suggestion, to say what changed under them.
  const seen = useRef(new Map<string, Suggestion>());
  const current = useRef({ filters, cursor: undefined as string | undefined });
  // The page's own waits (loading a page, a decision): Cancel stops waiting, the backend call runs its course.
  const { start: startWait, stop: stopWait } = useWaits();
  current.current = { filters, cursor: cursors.at(-1) };

  const fetchPage = useCallback(async (f: Filters, cursor: string | undefined, quiet: boolean): Promise<boolean> => {
    if (!quiet) setLoad({ status: 'loading' });
    // A quiet poll asks after what the viewer is looking at, so what left the view can be explained.
    const query = { ...toQuery(f, cursor), ...(quiet && watched.current.length ? { watch: watched.current.slice(0, 100) } : {}) };
    const res = quiet ? await call('getInbox', query) : await call('getInbox', query, { signal: startWait('page'), error: CANCELLED.read });
    if (!res.ok) {
      if (!quiet) setLoad({ status: 'failed', error: res.error });
      return false;
    }
    const now = new Date();
    const changed: Record<string, string> = {};
    for (const { suggestion: s } of res.items) {
      const before = seen.current.get(s.id);
      const note = before && changedUnderViewer(before, s, now);
      if (note) changed[s.id] = note;
      seen.current.set(s.id, s);
    }
    if (Object.keys(changed).length) setNotes((n) => ({ ...n, ...changed }));
    const left = res.left.flatMap((s) => {
      const before = seen.current.get(s.id);
      const note = before && changedUnderViewer(before, s, now);
      seen.current.set(s.id, s);
      return note ? [{ s, note }] : [];
    });
    if (left.length) setGone((g) => [...left, ...g.filter((x) => !left.some((l) => l.s.id === x.s.id))].slice(0, 20));
    watched.current = res.items.map((i) => i.suggestion.id);
    setLoad({ status: 'loaded', data: { viewer: res.viewer, items: res.items, counts: res.counts, total: res.total, next: res.next } });
    return true;
  }, [startWait]);

  useEffect(() => void fetchPage(filters, cursors.at(-1), false), [fetchPage, filters, cursors]);

  // Live refresh: poll quietly, back off while polls fail, call nothing while the page is hidden (shared poller).
  useLiveRefresh(() => fetchPage(current.current.filters, current.current.cursor, true).catch(() => false), true);

  const apply = (next: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...next }));
    setCursors([]);
  };
  const toggle = <T,>(set: ReadonlySet<T>, v: T) => {
    const next = new Set(set);
    if (next.has(v)) next.delete(v);
    else next.add(v);
    return next;
  };
  const select = (s: Suggestion, on: boolean) =>
    setSelected((m) => {
      const next = new Map(m);
      if (on && next.size < BULK_MAX) next.set(s.id, s);
      else next.delete(s.id);
      return next;
    });

  async function selectAllInFilter() {
    const res = await call('getInbox', toQuery({ ...filters, group: 'waiting' }, undefined, BULK_MAX));
    if (!res.ok) return setReport({ error: res.error });
    setSelected(new Map(res.items.map((i) => [i.suggestion.id, i.suggestion])));
  }

  async function decide(decision: 'approve' | 'reject', items: Suggestion[], why?: string): Promise<boolean> {
    if (busy || !items.length) return false;
    setBusy(true);
    setReport(null);
    try {
      const res = await call(
        'decideMany',
        { decision, ...(why ? { reason: why } : {}), items: items.map((s) => ({ id: s.id, payloadHash: s.payloadHash })) },
        { signal: startWait('decision'), error: CANCELLED.decideInInbox },
      );
      if (!res.ok) {
        setReport({ error: res.error });
        return false;
      }
      const byId = new Map(items.map((s) => [s.id, s]));
      const results = res.results.map((r) => {
        const before = byId.get(r.id);
        const note = before && r.suggestion ? changedUnderViewer(before, r.suggestion, new Date()) : null;
        // What this tab decided itself is seen: no "changed while you were looking" for it later.
        if (r.suggestion) seen.current.set(r.id, r.suggestion);
        return { ...r, label: before ? `${typeLabel(before)}: ${targetOf(before)}` : r.id, note };
      });
      setReport({ decision, results });
      setSelected(new Map());
      setReason('');
      await fetchPage(filters, cursors.at(-1), true);
      return results.every((r) => r.status === 'approved' || r.status === 'rejected');
    } finally {
      setBusy(false);
    }
  }

  /** Dismiss, send back with guidance, or reopen: one suggestion, then the page refreshes. */
  const act = (payload: PayloadOf<'inboxAct'>) => settle((cancel) => call('inboxAct', payload, cancel));

  /** One suggestion's action (see act), then the page refreshes; a refusal is shown in words. */
  async function settle(run: (cancel: { signal: AbortSignal; error: ResolverError }) => Promise<Result<{ item: SuggestionItem }>>): Promise<boolean> {
    if (busy) return false;
    setBusy(true);
    setReport(null);
    try {
      const res = await run({ signal: startWait('decision'), error: CANCELLED.decideInInbox });
      if (!res.ok) {
        setReport({ error: res.error });
        return false;
      }
      seen.current.set(res.item.suggestion.id, res.item.suggestion);
      await fetchPage(filters, cursors.at(-1), true);
      return true;
    } finally {
      setBusy(false);
    }
  }

  if (load.status === 'loading') return <LoadingView what="the inbox" onCancel={() => stopWait('page')} />;
  if (load.status === 'failed') return <ErrorMessage error={load.error} onRetry={() => void fetchPage(filters, cursors.at(-1), false)} />;
  const { viewer, items, counts, total, next } = load.data;
  const chosen = [...selected.values()];
  const groups: Array<InboxGroup | 'all'> = [...INBOX_GROUP_NAMES, 'all'];

  return (
    <Stack space="space.200">
      <Heading size="medium" as="h2">PM agent inbox</Heading>
      <ButtonGroup label="Show suggestions by state">
        {groups.map((g) => (
          <Button key={g} appearance={filters.group === g ? 'primary' : 'default'} onClick={() => apply({ group: g })}>
            {`${g === 'all' ? 'All' : INBOX_GROUPS[g].label} (${counts[g]})`}
          </Button>
        ))}
      </ButtonGroup>
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Select inputId="filter-type" aria-label="Action type" options={TYPE_OPTIONS} value={TYPE_OPTIONS.find((o) => o.value === filters.actionType)} onChange={(o: { value: string }) => apply({ actionType: o?.value ?? '' })} />
        <Select inputId="filter-source" aria-label="Source" options={SOURCE_OPTIONS} value={SOURCE_OPTIONS.find((o) => o.value === filters.source)} onChange={(o: { value: string }) => apply({ source: o?.value ?? '' })} />
        <Checkbox label="Contains text from outside" isChecked={filters.outside} onChange={() => apply({ outside: !filters.outside })} />
      </Inline>
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Label labelFor="filter-issue">Issue</Label>
        <Textfield id="filter-issue" placeholder="Issue key, or none" value={draft.issue} onChange={(e) => setDraft((d) => ({ ...d, issue: String(e.target.value ?? '') }))} />
        <Label labelFor="filter-q">Search</Label>
        <Textfield id="filter-q" placeholder="Search text" value={draft.q} onChange={(e) => setDraft((d) => ({ ...d, q: String(e.target.value ?? '') }))} />
        <Button onClick={() => apply({ q: draft.q, issue: draft.issue })}>Search</Button>
        <Button appearance="subtle" onClick={() => (setDraft({ q: '', issue: '' }), apply(START))}>
          Clear filters
        </Button>
      </Inline>

      {viewer.canApprove ? (
        <Stack space="space.100">
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Text>{`${chosen.length} selected (at most ${BULK_MAX})`}</Text>
            <Button onClick={() => void selectAllInFilter()}>{`Select all waiting in this filter (up to ${BULK_MAX})`}</Button>
            <Button appearance="subtle" isDisabled={!chosen.length} onClick={() => setSelected(new Map())}>
              Clear selection
            </Button>
          </Inline>
          <Inline space="space.100" alignBlock="center" shouldWrap>
            <Button appearance="primary" isDisabled={busy || !chosen.length} onClick={() => void decide('approve', chosen)}>
              {`Approve selected (${chosen.length})`}
            </Button>
            <Label labelFor="bulk-reason">Reason to reject</Label>
            <Textfield id="bulk-reason" placeholder="Reason to reject the selected" value={reason} onChange={(e) => setReason(String(e.target.value ?? ''))} />
            <Button appearance="danger" isDisabled={busy || !chosen.length || !reason.trim()} onClick={() => void decide('reject', chosen, reason.trim())}>
              {`Reject selected (${chosen.length})`}
            </Button>
          </Inline>
        </Stack>
      ) : (
        <SectionMessage appearance="information" title="You can look, not decide">
          <Text>You are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.</Text>
        </SectionMessage>
      )}

      {busy ? (
        <Inline space="space.100" alignBlock="center">
          <Text>Waiting for the PM agent…</Text>
          <Button testId="cancel-decision" onClick={() => stopWait('decision')}>
            Cancel
          </Button>
        </Inline>
      ) : null}
      {report ? <BulkReportView report={report} /> : null}
      {gone.length ? (
        <SectionMessage appearance="warning" title="Changed while you were looking">
          {gone.map(({ s, note }) => (
            <Inline key={s.id} space="space.050" alignBlock="center" shouldWrap>
              <Text>{`${typeLabel(s)}: ${targetOf(s)} “${firstLineOf(s)}”:`}</Text>
              {s.decision?.by.principal === 'forge' ? <User accountId={s.decision.by.id} /> : <Text>{s.decision?.by.name ?? s.decision?.by.id ?? ''}</Text>}
              <Text>{note}</Text>
            </Inline>
          ))}
          <Button appearance="subtle" onClick={() => setGone([])}>
            Dismiss these notes
          </Button>
        </SectionMessage>
      ) : null}

      <Text>{`${total} suggestion${total === 1 ? '' : 's'} in this view, newest first. Refreshes by itself.`}</Text>
      {items.length === 0 ? <Text>Nothing here. Try another state or clear the filters.</Text> : null}
      {items.map((item) => {
        const s = item.suggestion;
        const open = expanded.has(s.id);
        const selectable = viewer.canApprove && s.state === 'pending';
        return (
          <Box key={s.id} xcss={rowStyle} testId={`inbox-row-${s.id}`}>
            <Stack space="space.100">
              <Inline space="space.100" alignBlock="center" shouldWrap>
                {selectable ? <Checkbox label={`Select ${typeLabel(s)} ${targetOf(s)}`} isChecked={selected.has(s.id)} onChange={() => select(s, !selected.has(s.id))} /> : null}
                <Strong>{typeLabel(s)}</Strong>
                <Text>{targetOf(s)}</Text>
                <Text>{firstLineOf(s)}</Text>
                <Lozenge appearance={STATE_INFO[s.state].appearance}>{STATE_INFO[s.state].label}</Lozenge>
                <Text>{ageOf(s, new Date())}</Text>
                <Button appearance="subtle" onClick={() => setExpanded((e) => toggle(e, s.id))}>
                  {open ? 'Collapse' : 'Expand'}
                </Button>
              </Inline>
              {notes[s.id] && !open ? <Text>{`Changed while you were looking: ${s.decision ? `${s.decision.by.name ?? 'another approver'} ` : ''}${notes[s.id]}`}</Text> : null}
              {open ? (
                <SuggestionCard
                  item={item}
                  canApprove={viewer.canApprove}
                  busy={busy}
                  changeNote={notes[s.id]}
                  onApprove={() => decide('approve', [s])}
                  onReject={(why) => decide('reject', [s], why)}
                  undoWindowMinutes={viewer.undoWindowMinutes}
                  {...afterTheFactHandlers(s, (_note, payload) => settle((cancel) => call('inboxAfter', payload, cancel)))}
                />
              ) : null}
              {open && viewer.canApprove ? <MoreActions s={s} busy={busy} act={act} undoWindowMinutes={viewer.undoWindowMinutes ?? UNDO_WINDOW_DEFAULT_MINUTES} /> : null}
            </Stack>
          </Box>
        );
      })}
      <Inline space="space.100">
        <Button isDisabled={!cursors.length} onClick={() => setCursors([])}>
          First page
        </Button>
        <Button isDisabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous page
        </Button>
        <Button isDisabled={!next} onClick={() => next && setCursors((c) => [...c, next])}>
          Next page
        </Button>
      </Inline>
    </Stack>
  );
}

const DONE_WORDS = { approve: 'approved', reject: 'rejected' } as const;

function BulkReportView({ report }: { report: BulkReport }) {
  if ('error' in report) return <ErrorMessage error={report.error} />;
  const done = report.results.filter((r) => r.status === DONE_WORDS[report.decision]);
  const changed = report.results.filter((r) => r.status === 'changed' || r.status === 'already_decided');
  const other = report.results.filter((r) => !done.includes(r) && !changed.includes(r));
  return (
    <SectionMessage appearance={changed.length || other.length ? 'warning' : 'success'} title={`${done.length} ${DONE_WORDS[report.decision]}${changed.length ? `, ${changed.length} changed since you saw them` : ''}${other.length ? `, ${other.length} not decided` : ''}`}>
      {changed.map((r) => (
        <Text key={r.id}>{`${r.label}: changed since you saw it, not decided. ${r.note ? `${r.suggestion?.decision?.by.name ?? 'Someone'} ${r.note}` : r.message}`}</Text>
      ))}
      {other.map((r) => (
        <Text key={r.id}>{`${r.label}: ${r.message}`}</Text>
      ))}
    </SectionMessage>
  );
}

/** Next to approve / reject on the full card: dismiss, ask the agent to redo, or reopen within the undo window. */
function MoreActions({ s, busy, act, undoWindowMinutes }: { s: Suggestion; busy: boolean; act: (p: PayloadOf<'inboxAct'>) => Promise<boolean>; undoWindowMinutes: number }) {
  const [guiding, setGuiding] = useState(false);
  const [guidance, setGuidance] = useState('');
  // The backend checks the window again; the button just does not linger past it.
  if (takeBackAt(s, new Date().toISOString(), undoWindowMinutes, PAGE_CLOCK_SKEW_MS) === 'reopen') {
    return (
      <Inline space="space.100" alignBlock="center">
        <Button isDisabled={busy} onClick={() => void act({ id: s.id, action: 'reopen' })}>
          Reopen
        </Button>
        <Text>Takes the decision back, within the undo window the admin set.</Text>
      </Inline>
    );
  }
  if (s.state !== 'pending') return null;
  return guiding ? (
    <Stack space="space.100">
      <Label labelFor={`guidance-${s.id}`}>What should the agent do differently? It reads this with the suggestion.</Label>
      <Textfield id={`guidance-${s.id}`} placeholder="Guidance for the agent" value={guidance} onChange={(e) => setGuidance(String(e.target.value ?? ''))} />
      <ButtonGroup label="Send back to the agent">
        <Button appearance="primary" isDisabled={busy || !guidance.trim()} onClick={() => void act({ id: s.id, action: 'respond', guidance: guidance.trim() })}>
          Send back with this guidance
        </Button>
        <Button isDisabled={busy} onClick={() => setGuiding(false)}>
          Cancel
        </Button>
      </ButtonGroup>
    </Stack>
  ) : (
    <ButtonGroup label="Other answers">
      <Button isDisabled={busy} onClick={() => setGuiding(true)}>
        Ask the agent to redo
      </Button>
      <Button appearance="subtle" isDisabled={busy} onClick={() => void act({ id: s.id, action: 'dismiss' })}>
        Dismiss
      </Button>
    </ButtonGroup>
  );
}
