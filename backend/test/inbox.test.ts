import { payloadHash, type AuditEntry, type BulkDecisionResponse, type InboxPage, type Suggestion } from '@pm-agent/shared';
import { BadRequestError } from '@pm-agent/backend-client';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';
import { outlookClient } from './support/outlook';

let b: TestBackend;
beforeAll(async () => (b = await startTestBackend({ seed: true })));
afterAll(() => b.stop());

const comment = (body: string, issueKey = 'INB-1', source: 'email' | 'jira_issue' | 'agent' = 'email') => ({
  actionType: 'jira_comment',
  payload: { issueKey, body },
  rationale: 'Inbox test.',
  provenance: { source, ref: source === 'jira_issue' ? issueKey : `<${Math.random()}@example.com>`, excerpt: 'x' },
});

async function create(body: unknown): Promise<Suggestion> {
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost(body));
  expect(res.status).toBe(201);
  return ((await res.json()) as { suggestion: Suggestion }).suggestion;
}

async function inbox(query: string): Promise<InboxPage> {
  const res = await b.forge(`/v1/inbox?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as InboxPage;
}

async function audit(): Promise<AuditEntry[]> {
  const res = await b.forge('/v1/audit?limit=500', { admin: true });
  return ((await res.json()) as { items: AuditEntry[] }).items;
}

const decide = (body: unknown, headers: Record<string, string> = {}, accountId?: string) => b.forge('/v1/decisions', { ...jsonPost(body, headers), accountId });

/** Changes a pending suggestion's payload behind the approver's back, as another edit would. */
async function changeBehind(s: Suggestion, body: string): Promise<void> {
  const payload = { ...s.payload, body };
  const hash = await payloadHash(payload);
  const cur = (await b.store.getSuggestion(s.id))!;
  await b.store.commit({ writes: [{ kind: 'suggestion', value: { ...cur, payload, payloadHash: hash, version: cur.version + 1 }, expectedVersion: cur.version }] });
}

describe('the inbox read side', () => {
  it('lists the seeded suggestions that have no issue key, newest first, with counts per state group', async () => {
    const page = await inbox('issue=none');
    expect(page.items.map((s) => s.actionType).sort()).toEqual(['email_external', 'milestone_change']);
    expect(page.items.every((s) => s.issueKey === null)).toBe(true);
    expect(page.counts).toMatchObject({ all: 2, waiting: 2 });
  });

  it('filters by group, type, source and outside text, and searches payload text', async () => {
    const agentOwn = await create(comment('Weekly heartbeat: nothing blocked', 'INB-2', 'agent'));
    await create(comment('Zebra crossing paint is due', 'INB-2', 'jira_issue'));
    expect((await inbox('q=zebra')).items.map((s) => s.payload.body)).toEqual(['Zebra crossing paint is due']);
    expect((await inbox('issue=INB-2&outside=false')).items.map((s) => s.id)).toEqual([agentOwn.id]);
    expect((await inbox('issue=INB-2&source=jira_issue')).items).toHaveLength(1);
    expect((await inbox('actionType=milestone_change')).items).toHaveLength(1);
    const held = await inbox('group=held');
    expect(held.items.every((s) => s.state === 'scheduled')).toBe(true);
    expect(held.counts.held).toBe(held.total);
  });

  it('pages with a cursor without repeating or skipping anything', async () => {
    for (let i = 0; i < 7; i += 1) await create(comment(`Paging item ${i}`, 'PAG-1'));
    const seen: string[] = [];
    let cursor = '';
    for (let n = 0; n < 10; n += 1) {
      const page = await inbox(`issue=PAG-1&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((s) => s.payload.body as string));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(seen).toEqual([6, 5, 4, 3, 2, 1, 0].map((i) => `Paging item ${i}`));
  });

  it('refuses a search that is too long, a bad group and a forged cursor, naming the problem', async () => {
    const long = await b.forge(`/v1/inbox?q=${'a'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(((await long.json()) as { message: string }).message).toMatch(/q must be at most 200 characters/);
    expect(((await (await b.forge('/v1/inbox?group=everything')).json()) as { message: string }).message).toMatch(/group must be one of/);
    const forged = await b.forge(`/v1/inbox?cursor=${Buffer.from('not|a cursor').toString('base64url')}`);
    expect(forged.status).toBe(400);
  });

  it('shows an Outlook user only the suggestions from their own mailbox (inbox-mailbox.test.ts has two mailboxes)', async () => {
    const page = await outlookClient(b).getInbox({});
    expect(page.total).toBe(3); // the seeded email suggestions; none of the agent's mailbox-less ones
    expect(page.items.every((s) => s.mailbox === 'pat.morgan@example.com')).toBe(true);
  });
});

describe('POST /v1/decisions', () => {
  it('approves each item on its own: changed items are reported, the rest approved, one audit entry each plus one for the batch', async () => {
    const items = await Promise.all([1, 2, 3, 4].map((i) => create(comment(`Bulk ${i}`, 'BLK-1'))));
    await changeBehind(items[1]!, 'Bulk 2, edited in another tab');
    const res = await decide({ decision: 'approve', items: items.map((s) => ({ id: s.id, payloadHash: s.payloadHash })) });
    expect(res.status).toBe(200);
    const { results, batchId } = (await res.json()) as BulkDecisionResponse;
    expect(results.map((r) => r.status)).toEqual(['approved', 'changed', 'approved', 'approved']);
    expect(results[1]!.suggestion!.payload.body).toBe('Bulk 2, edited in another tab');
    const trail = await audit();
    for (const s of [items[0]!, items[2]!, items[3]!]) expect(trail.filter((e) => e.subject === s.id && e.action === 'suggestion.approved')).toHaveLength(1);
    expect(trail.filter((e) => e.subject === items[1]!.id && e.action === 'suggestion.approved')).toHaveLength(0);
    expect(trail.filter((e) => e.subject === batchId && e.action === 'suggestions.bulk_decided')).toHaveLength(1);
  });

  it('rejects with one reason, bound to the hash seen, and reports an item already decided', async () => {
    const [a, c] = await Promise.all([create(comment('Reject me', 'BLK-2')), create(comment('Already approved', 'BLK-2'))]);
    expect((await decide({ decision: 'approve', items: [{ id: c!.id, payloadHash: c!.payloadHash }] })).status).toBe(200);
    const res = await decide({ decision: 'reject', reason: 'Not now', items: [a, c].map((s) => ({ id: s!.id, payloadHash: s!.payloadHash })) });
    const { results } = (await res.json()) as BulkDecisionResponse;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'already_decided']);
    expect(results[0]!.suggestion!.decision).toMatchObject({ kind: 'rejected', reason: 'Not now' });
  });

  it('replays a batch with the same Idempotency-Key: same answer, decided once, one batch entry', async () => {
    const s = await create(comment('Replay me', 'BLK-3'));
    const body = { decision: 'approve', items: [{ id: s.id, payloadHash: s.payloadHash }] };
    const first = (await (await decide(body, { 'idempotency-key': 'batch-replay-0001' })).json()) as BulkDecisionResponse;
    const again = (await (await decide(body, { 'idempotency-key': 'batch-replay-0001' })).json()) as BulkDecisionResponse;
    expect(again).toEqual(first);
    expect(first.results[0]!.status).toBe('approved');
    const trail = await audit();
    expect(trail.filter((e) => e.subject === s.id && e.action === 'suggestion.approved')).toHaveLength(1);
    expect(trail.filter((e) => e.action === 'suggestions.bulk_decided' && e.subject === first.batchId)).toHaveLength(1);
    const reused = await decide({ ...body, decision: 'reject', reason: 'x' }, { 'idempotency-key': 'batch-replay-0001' });
    expect(reused.status).toBe(422);
  });

  describe('refuses a bad batch with a 400 naming the problem, and decides nothing', () => {
    let pending: Suggestion[];
    beforeAll(async () => {
      pending = [];
      for (let i = 0; i < 51; i += 1) pending.push(await create(comment(`Refused batch ${i}`, 'BAD-1')));
    });
    const items = (list: Suggestion[]) => list.map((s) => ({ id: s.id, payloadHash: s.payloadHash }));
    const stillPending = async () => (await inbox('issue=BAD-1&group=waiting&limit=50')).counts.waiting;

    it.each([
      ['51 items', () => ({ decision: 'approve', items: items(pending) }), /items must list at most 50 suggestions/],
      ['a duplicate id', () => ({ decision: 'approve', items: [...items(pending.slice(0, 2)), items(pending.slice(0, 1))[0]] }), /items\.2\.id lists sug_\w+ twice/],
      ['a missing hash', () => ({ decision: 'approve', items: [items(pending.slice(0, 1))[0], { id: pending[1]!.id }] }), /items\.1\.payloadHash is required/],
      ['a reject without a reason', () => ({ decision: 'reject', items: items(pending.slice(0, 2)) }), /reason is required to reject/],
      ['no items', () => ({ decision: 'approve', items: [] }), /items must list at least one suggestion/],
    ])('%s', async (_name, body, message) => {
      const res = await decide(body());
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(message);
      expect(await stillPending()).toBe(51);
    });

    it('items from another principal’s mailbox in an Outlook batch', async () => {
      const outlook = outlookClient(b);
      const err = await outlook.decideMany({ decision: 'approve', items: items(pending.slice(0, 3)) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadRequestError);
      expect((err as Error).message).toMatch(/Nothing was decided: these suggestions are not yours to decide/);
      expect(await stillPending()).toBe(51);
    });

    it('a caller who is not an approver gets 403', async () => {
      const res = await decide({ decision: 'approve', items: items(pending.slice(0, 1)) }, {}, '712020:not-an-approver');
      expect(res.status).toBe(403);
      expect(await stillPending()).toBe(51);
    });

    it('the agent may not call it at all', async () => {
      const res = await b.call(b.agent, '/v1/decisions', jsonPost({ decision: 'approve', items: items(pending.slice(0, 1)) }));
      expect(res.status).toBe(403);
      expect(await stillPending()).toBe(51);
    });
  });
});

describe('dismiss, ask the agent to redo, reopen', () => {
  const post = (id: string, action: string, body?: unknown) => b.forge(`/v1/suggestions/${id}/${action}`, jsonPost(body ?? {}));

  it('dismisses without a reason, audited; reopening within the window makes it wait again', async () => {
    const s = await create(comment('Dismiss me', 'ACT-1'));
    const res = await post(s.id, 'dismiss');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { suggestion: Suggestion }).suggestion).toMatchObject({ state: 'dismissed', decision: { kind: 'dismissed' } });
    const reopened = await post(s.id, 'reopen');
    expect(reopened.status).toBe(200);
    expect(((await reopened.json()) as { suggestion: Suggestion }).suggestion).toMatchObject({ state: 'pending', decision: null });
    const trail = await audit();
    expect(trail.filter((e) => e.subject === s.id).map((e) => e.action)).toEqual(['suggestion.created', 'suggestion.dismissed', 'suggestion.reopened']);
  });

  it('keeps the guidance where the agent reads it, and the suggestion leaves the waiting list', async () => {
    const s = await create(comment('Redo me', 'ACT-2'));
    expect((await post(s.id, 'respond', { guidance: 'Mention the new date, 4 December.' })).status).toBe(200);
    const seen = (await (await b.call(b.agent, `/v1/suggestions/${s.id}`)).json()) as { suggestion: Suggestion };
    expect(seen.suggestion).toMatchObject({ state: 'returned', decision: { kind: 'returned', reason: 'Mention the new date, 4 December.' } });
    expect((await inbox('issue=ACT-2&group=waiting')).total).toBe(0);
    expect((await post(s.id, 'respond', { guidance: 'Again' })).status).toBe(409); // already sent back
    const empty = await post(s.id, 'respond', { guidance: '' });
    expect(((await empty.json()) as { message: string }).message).toMatch(/guidance must not be empty/);
    const bad = await post((await create(comment('x', 'ACT-2'))).id, 'respond', {});
    expect(((await bad.json()) as { message: string }).message).toMatch(/guidance is required/);
  });

  it('refuses to reopen after the undo window, or an approved one', async () => {
    const s = await create(comment('Too late', 'ACT-3'));
    expect((await post(s.id, 'reject', { reason: 'no' })).status).toBe(200);
    const cur = (await b.store.getSuggestion(s.id))!;
    const decision = { ...cur.decision!, at: new Date(Date.now() - 16 * 60_000).toISOString() };
    await b.store.commit({ writes: [{ kind: 'suggestion', value: { ...cur, decision, version: cur.version + 1 }, expectedVersion: cur.version }] });
    const late = await post(s.id, 'reopen');
    expect(late.status).toBe(409);
    expect(((await late.json()) as { message: string }).message).toMatch(/more than 15 minutes ago, past the undo window/);
    const approved = await create(comment('Approved', 'ACT-3'));
    await b.forge(`/v1/suggestions/${approved.id}/approve`, jsonPost({ payloadHash: approved.payloadHash }));
    expect((await post(approved.id, 'reopen')).status).toBe(409);
  });
});
