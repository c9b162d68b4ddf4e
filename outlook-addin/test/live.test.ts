import type { BackendClient } from '@pm-agent/backend-client';
import type { InboxPage, Suggestion } from '@pm-agent/shared';
import { pollResult, pollWaiting } from '../src/live/poll';
import { WAITING_CLOSED, waitingLoaded, type WaitingState } from '../src/live/waiting';
import type { PaneState } from '../src/state';
import { EMAIL, triage } from './support/fixtures';

/** The pane's live polls on their own: what they ask, and what they make of the answer. */
const base = triage().suggestions[0]!;
const pending: Suggestion = { ...base, state: 'pending', version: 1 };
const rejected: Suggestion = {
  ...pending,
  state: 'rejected',
  version: 2,
  decision: { kind: 'rejected', by: { principal: 'forge', id: '712020:pat', name: 'Pat Morgan' }, at: new Date(Date.now() - 30_000).toISOString(), reason: 'Covered in the standup' },
};
const page = (items: Suggestion[]): InboxPage => ({ items, counts: { all: items.length, waiting: items.length, held: 0, done: 0, failed: 0, rejected: 0 }, total: items.length, next: null });

function client(answers: { inbox?: Suggestion[]; byId?: Record<string, Suggestion>; triage?: Suggestion[] }) {
  const calls: string[] = [];
  const c = {
    getInbox: async (q: object) => (calls.push(`inbox ${JSON.stringify(q)}`), page(answers.inbox ?? [])),
    getSuggestion: async (id: string) => (calls.push(`get ${id}`), answers.byId?.[id] ?? Promise.reject(new Error('not found'))),
    getTriage: async (key: string) => (calls.push(`triage ${key}`), { triage: { ...triage(), suggestions: answers.triage ?? [] }, cached: true }),
  };
  return { client: c as unknown as BackendClient, calls };
}

const open = (items: Suggestion[]): WaitingState => waitingLoaded({ ...WAITING_CLOSED, open: true }, items, null, {});

describe('pollWaiting', () => {
  it('asks once for the waiting list and redraws nothing when nothing changed', async () => {
    const { client: c, calls } = client({ inbox: [pending] });
    const w = open([pending]);
    expect(await pollWaiting(c, () => w, new Map([[pending.id, pending]]))).toBeNull();
    expect(calls).toEqual(['inbox {"group":"waiting","limit":50}']);
  });

  it('keeps a card decided elsewhere in the list, saying who did what in words, with its draft kept', async () => {
    const { client: c, calls } = client({ inbox: [], byId: { [pending.id]: rejected } });
    const w = { ...open([pending]), cards: { [pending.id]: { mode: 'reject' as const, draft: 'half a reas', busy: false } } };
    const next = (await pollWaiting(c, () => w, new Map([[pending.id, pending]])))!;
    expect(calls).toEqual(['inbox {"group":"waiting","limit":50}', `get ${pending.id}`]);
    expect(next.items).toEqual([rejected]);
    expect(next.cards[pending.id]).toMatchObject({ draft: 'half a reas', stale: 'Pat Morgan rejected this less than a minute ago: Covered in the standup' });
  });
});

describe('pollResult', () => {
  const result = (suggestions: Suggestion[]): PaneState => ({ kind: 'result', email: EMAIL, notes: [], triage: { ...triage(), suggestions }, cached: false, viewer: null, cards: {} });

  it('does not put back an older copy than the one this pane just decided (a poll that crossed the decision)', async () => {
    const { client: c } = client({ triage: [pending] });
    const state = result([rejected]);
    expect(await pollResult(c, () => state, new Map([[pending.id, rejected]]))).toBeNull();
  });

  it('drops the answer when another email is shown by the time it arrives', async () => {
    const { client: c } = client({ triage: [rejected] });
    let state = result([pending]);
    const p = pollResult(c, () => state, new Map([[pending.id, pending]]));
    state = { kind: 'no-item' };
    expect(await p).toBeNull();
  });

  it('asks nothing when no result is shown', async () => {
    const { client: c, calls } = client({});
    expect(await pollResult(c, () => ({ kind: 'no-item' }), new Map())).toBeNull();
    expect(calls).toEqual([]);
  });
});
