import { payloadHash, type AuditEntry, type Suggestion } from '@pm-agent/shared';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';

let b: TestBackend;
beforeAll(async () => (b = await startTestBackend()));
afterAll(() => b.stop());

const comment = (body: string, issueKey = 'ABC-200') => ({
  actionType: 'jira_comment',
  payload: { issueKey, body },
  rationale: 'The customer asked for a status update.',
  provenance: { source: 'email', ref: `<${Math.random()}@example.com>`, excerpt: 'Any news on this?' },
});

async function create(body: unknown = comment('Status: the fix ships Friday.')): Promise<Suggestion> {
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost(body));
  expect(res.status).toBe(201);
  return ((await res.json()) as { suggestion: Suggestion }).suggestion;
}

async function audit(): Promise<AuditEntry[]> {
  const res = await b.forge('/v1/audit?limit=500', { admin: true });
  return ((await res.json()) as { items: AuditEntry[] }).items;
}

const approve = (id: string, body: unknown, key?: string, accountId?: string) =>
  b.forge(`/v1/suggestions/${id}/approve`, { ...jsonPost(body, key ? { 'idempotency-key': key } : {}), accountId });

describe('creating suggestions', () => {
  it('puts a new suggestion where the default (manual) autonomy says: pending approval, with its payload hash', async () => {
    const s = await create();
    expect(s).toMatchObject({ state: 'pending', boundary: 'approval', issueKey: 'ABC-200', edited: false, version: 1 });
    expect(s.payloadHash).toBe(await payloadHash(s.payload));
    expect((await audit()).some((e) => e.action === 'suggestion.created' && e.subject === s.id && e.actor.principal === 'agent')).toBe(true);
  });

  it('refuses never-do actions with 422, creates nothing and audits the attempt', async () => {
    const before = (await b.store.countSuggestions());
    const res = await b.call(b.agent, '/v1/suggestions', jsonPost({ ...comment('x'), actionType: 'change_own_autonomy_level', payload: { level: 'delegated' } }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toMatch(/change_own_autonomy_level is a never-do action/);
    expect(await b.store.countSuggestions()).toBe(before);
    expect((await audit()).at(-1)).toMatchObject({ action: 'suggestion.refused', subject: 'change_own_autonomy_level' });
  });
});

describe('approving', () => {
  it('approves exactly the payload the approver saw', async () => {
    const s = await create();
    const res = await approve(s.id, { payloadHash: s.payloadHash });
    expect(res.status).toBe(200);
    const { suggestion } = (await res.json()) as { suggestion: Suggestion };
    expect(suggestion).toMatchObject({ state: 'approved', version: 2, decision: { kind: 'approved', payloadHash: s.payloadHash, by: { principal: 'forge' } } });
  });

  it('answers a stale hash with 409 and the current payload, and changes nothing', async () => {
    const s = await create();
    const stale = await payloadHash({ ...s.payload, body: 'what the approver saw earlier' });
    const res = await approve(s.id, { payloadHash: stale });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { message: string; current: Suggestion };
    expect(body.message).toMatch(/changed since you loaded it/);
    expect(body.current.payload).toEqual(s.payload);
    expect(body.current.state).toBe('pending');
  });

  it('50 concurrent approves: one approval, one audit entry; the rest get the same answer or 409', async () => {
    const s = await create();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => approve(s.id, { payloadHash: s.payloadHash }, i % 2 ? 'same-key-for-odd-ones' : `key-${i}-abcdef`)),
    );
    const statuses = results.map((r) => r.status);
    const bodies = (await Promise.all(results.map((r) => r.json()))) as Array<{ suggestion?: Suggestion; current?: Suggestion }>;
    expect(statuses.every((st) => st === 200 || st === 409)).toBe(true);
    const approvals = bodies.filter((x) => x.suggestion).map((x) => x.suggestion!);
    // Every 200 is the same approval (the winner's, or its replay for the shared key).
    expect(new Set(approvals.map((a) => `${a.version}:${a.decision?.at}`)).size).toBe(1);
    expect(bodies.filter((x) => x.current).every((x) => x.current!.state === 'approved')).toBe(true);
    expect((await audit()).filter((e) => e.subject === s.id && e.action === 'suggestion.approved')).toHaveLength(1);
  });

  it('a repeat with the same Idempotency-Key gets the first answer; the key cannot be reused for another request', async () => {
    const s = await create();
    const first = await approve(s.id, { payloadHash: s.payloadHash }, 'retry-key-12345678');
    const again = await approve(s.id, { payloadHash: s.payloadHash }, 'retry-key-12345678');
    expect(again.status).toBe(first.status);
    expect(((await again.json()) as { suggestion: Suggestion }).suggestion).toEqual(((await first.json()) as { suggestion: Suggestion }).suggestion);
    const reused = await approve(s.id, { payloadHash: 'b'.repeat(64) }, 'retry-key-12345678');
    expect(reused.status).toBe(422);
  });

  it('edit then approve: the edited payload is approved under its own hash and the original is kept', async () => {
    const s = await create();
    const edited = { ...s.payload, body: 'Status: the fix ships Monday (edited by Pat).' };
    const res = await approve(s.id, { payloadHash: await payloadHash(edited), payload: edited, basePayloadHash: s.payloadHash });
    expect(res.status).toBe(200);
    const { suggestion } = (await res.json()) as { suggestion: Suggestion };
    expect(suggestion).toMatchObject({ edited: true, payload: edited, originalPayload: s.payload, payloadHash: await payloadHash(edited) });
    expect((await audit()).find((e) => e.subject === s.id && e.action === 'suggestion.approved')!.details).toMatchObject({ edited: true });
  });

  it('refuses an edit made from a stale view (basePayloadHash), with the current payload', async () => {
    const s = await create();
    const edited = { ...s.payload, body: 'Edited from an old copy' };
    const stale = await approve(s.id, { payloadHash: await payloadHash(edited), payload: edited, basePayloadHash: 'c'.repeat(64) });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { current: Suggestion }).current.payload).toEqual(s.payload);
    const fresh = await approve(s.id, { payloadHash: await payloadHash(edited), payload: edited, basePayloadHash: s.payloadHash });
    expect(fresh.status).toBe(200);
    expect((await audit()).find((e) => e.subject === s.id && e.action === 'suggestion.approved')!.details).toMatchObject({ edited: true, editedFrom: s.payloadHash });
  });

  it('refuses an edit that does not say which version it started from (no basePayloadHash), and changes nothing', async () => {
    const s = await create();
    const edited = { ...s.payload, body: 'Edited, origin unknown' };
    const res = await approve(s.id, { payloadHash: await payloadHash(edited), payload: edited });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/basePayloadHash is required with an edited payload/);
    expect((await b.store.getSuggestion(s.id))!).toMatchObject({ state: 'pending', edited: false, payload: s.payload });
  });

  it('refuses an edit that breaks the action schema, redirects the action, or whose hash is not its own, naming the problem', async () => {
    const s = await create();
    const broken = { ...s.payload, body: '' };
    const bad = await approve(s.id, { payloadHash: await payloadHash(broken), payload: broken, basePayloadHash: s.payloadHash });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/body must not be empty/);
    const redirected = { ...s.payload, issueKey: 'ABC-999' };
    const moved = await approve(s.id, { payloadHash: await payloadHash(redirected), payload: redirected, basePayloadHash: s.payloadHash });
    expect(moved.status).toBe(400);
    expect(((await moved.json()) as { message: string }).message).toMatch(/may change only comment text \(body\); issueKey must stay/);
    const edited = { ...s.payload, body: 'new text' };
    const mismatch = await approve(s.id, { payloadHash: s.payloadHash, payload: edited, basePayloadHash: s.payloadHash });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { message: string }).message).toMatch(/not the hash of the edited payload/);
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');
  });

  it('refuses a Jira user who is not an approver, server-side, and changes nothing', async () => {
    const s = await create();
    const res = await approve(s.id, { payloadHash: s.payloadHash }, undefined, '712020:not-an-approver');
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toMatch(/not on the approver list/);
    const viewer = (await (await b.forge('/v1/viewer', { accountId: '712020:not-an-approver' })).json()) as { canApprove: boolean };
    expect(viewer.canApprove).toBe(false);
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');
  });
});

describe('rejecting and stopping', () => {
  it('rejects with a reason, audited; a second decision is a conflict', async () => {
    const s = await create();
    const res = await b.forge(`/v1/suggestions/${s.id}/reject`, jsonPost({ reason: 'We already told them on the call.' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { suggestion: Suggestion }).suggestion.decision).toMatchObject({ kind: 'rejected', reason: 'We already told them on the call.' });
    const late = await approve(s.id, { payloadHash: s.payloadHash });
    expect(late.status).toBe(409);
    // In words, naming no account id (issue 14, item 5): the Jira approver by their name on the approver list.
    expect(((await late.json()) as { message: string }).message).toMatch(/^Someone got there first: this suggestion is now “Rejected” by Pat Morgan on \d{4}-\d\d-\d\d \d\d:\d\d UTC, so it cannot be approved any more\.$/);
  });

  it('stops a hold-queue suggestion before it runs', async () => {
    const put = await b.forge('/v1/settings', { admin: true });
    const view = (await put.json()) as { settings: Record<string, unknown>; version: number };
    await b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${view.version}"` }, body: JSON.stringify({ ...view.settings, autonomyLevel: 'delegated' }) });
    // The agent's own decision (no outside text): email text would need approval, not the hold queue.
    const s = await create({ ...comment('x'), actionType: 'jira_status_change', payload: { issueKey: 'ABC-201', toStatus: 'Done' }, provenance: { source: 'agent', ref: 'run', excerpt: '' } });
    expect(s.state).toBe('scheduled');
    expect(Date.parse(s.runAt!)).toBeGreaterThan(Date.parse(s.createdAt));
    const res = await b.forge(`/v1/suggestions/${s.id}/stop`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { suggestion: Suggestion }).suggestion).toMatchObject({ state: 'stopped', runAt: null });
    await b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${view.version + 1}"` }, body: JSON.stringify(view.settings) });
  });
});
