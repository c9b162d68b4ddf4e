import { adfToText } from '../src/stages/execute/jira/adf';
import { IN_FLIGHT, UNDOABLE, payloadHash, type AuditEntry, type SettingsView, type Suggestion } from '@pm-agent/shared';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';
import { until } from './support/until';
import { outlookClient } from './support/outlook';
import { NotFoundError } from '@pm-agent/backend-client';
import { UNDOERS } from '../src/stages/execute/executors';
import { SETTLED_AUDIT } from '../src/api/execute/dispatcher';

/**
 * Issue 13, item 4: after the fact. Undo of an executed comment (the execute stage deletes it from
 * the Jira double), "run now" and edit of a held item, and retry of a failed status change with a
 * status Jira offered. The real execute process, outbox and Jira double throughout.
 */

let b: TestBackend;
let offsetMs = 0;
beforeAll(async () => (b = await startTestBackend({ stages: true, now: () => new Date(Date.now() + offsetMs) })));
afterAll(() => b.stop());
afterEach(() => (offsetMs = 0));

const comments = (key: string) => b.jira!.state.comments(key).map((c) => adfToText(c.body));
const post = (id: string, action: string, body: unknown = {}, accountId?: string) => b.forge(`/v1/suggestions/${id}/${action}`, { ...jsonPost(body), accountId });
const message = async (res: Response) => ((await res.json()) as { message: string }).message;
const trail = async (id: string): Promise<string[]> => (await b.store.readAuditChain()).entries.filter((e: AuditEntry) => e.subject === id).map((e) => e.action);

async function create(body: Record<string, unknown>): Promise<Suggestion> {
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost({ rationale: 'r', provenance: { source: 'agent', ref: 'run', excerpt: '' }, ...body }));
  expect(res.status).toBe(201);
  return ((await res.json()) as { suggestion: Suggestion }).suggestion;
}

async function inState(id: string, ...states: Suggestion['state'][]): Promise<Suggestion> {
  return until(`${id} to be ${states.join(' or ')}`, async () => {
    const s = await b.store.getSuggestion(id);
    return s && states.includes(s.state) ? s : undefined;
  });
}

async function putSettings(change: Partial<SettingsView['settings']>): Promise<void> {
  const { settings, version } = await b.store.getSettings();
  const res = await b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` }, body: JSON.stringify({ ...settings, ...change }) });
  expect(res.status).toBe(200);
}

/** An approved, executed comment on `key`. */
async function postedComment(key: string, body: string): Promise<Suggestion> {
  const s = await create({ actionType: 'jira_comment', payload: { issueKey: key, body } });
  expect((await post(s.id, 'approve', { payloadHash: s.payloadHash })).status).toBe(200);
  return inState(s.id, 'executed');
}

describe('the tables agree', () => {
  it('the execute stage has an undo for exactly the types the backend lets people undo, and the dispatcher settles every in-flight state', () => {
    const named = (t: Record<string, unknown>) => Object.entries(t).filter(([, v]) => v).map(([k]) => k).sort();
    expect(named(UNDOERS)).toEqual(named(UNDOABLE));
    expect(Object.keys(SETTLED_AUDIT).sort()).toEqual(named(IN_FLIGHT));
  });
});

describe('undo of an executed comment', () => {
  it('deletes the comment it posted from Jira (found by its marker), shows "undone", audited', async () => {
    const before = comments('ABC-126').length;
    const s = await postedComment('ABC-126', 'Undo me: posted by mistake');
    expect(comments('ABC-126')).toHaveLength(before + 1);
    const res = await post(s.id, 'undo');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { suggestion: Suggestion }).suggestion.state).toBe('undoing');
    const undone = await inState(s.id, 'undone', 'executed');
    expect(undone).toMatchObject({ state: 'undone', result: { ok: true, summary: 'Undone: the comment was removed from ABC-126.' } });
    expect(comments('ABC-126')).not.toContain('Undo me: posted by mistake');
    expect(comments('ABC-126')).toHaveLength(before);
    expect(await trail(s.id)).toEqual([
      'suggestion.created',
      'suggestion.approved',
      'execution.started',
      'suggestion.executed',
      'suggestion.undo_requested',
      'suggestion.undone',
    ]);
    // Twice is a conflict in words, not a second delete.
    const again = await post(s.id, 'undo');
    expect(again.status).toBe(409);
    expect(await message(again)).toMatch(/now “Undone”.*cannot be undone any more/);
  });

  it('a replayed undo (same Idempotency-Key) gets the first answer and undoes once', async () => {
    const s = await postedComment('ABC-126', 'Undo me twice by replay');
    const send = (id: string) => b.forge(`/v1/suggestions/${id}/undo`, jsonPost({}, { 'idempotency-key': `undo-replay-${s.id}` }));
    const [first, second] = [await send(s.id), await send(s.id)];
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await second.json()).toEqual(await first.json());
    await inState(s.id, 'undone');
    expect((await trail(s.id)).filter((a) => a === 'suggestion.undo_requested')).toHaveLength(1);
  });

  it('a comment already deleted by hand: the undo still holds, and says so', async () => {
    const s = await postedComment('ABC-126', 'Someone deletes me by hand first');
    const id = b.jira!.state.comments('ABC-126').find((c) => adfToText(c.body) === 'Someone deletes me by hand first')!.id;
    const { JIRA_EMAIL, JIRA_API_TOKEN } = b.files.stageSecrets;
    const auth = `Basic ${Buffer.from(`${JIRA_EMAIL}:${JIRA_API_TOKEN}`).toString('base64')}`;
    const del = (await fetch(`${b.jira!.url}/rest/api/3/issue/ABC-126/comment/${id}`, { method: 'DELETE', headers: { authorization: auth } })).status;
    expect(del).toBe(204);
    expect(await post(s.id, 'undo').then((r) => r.status)).toBe(200);
    expect(await inState(s.id, 'undone', 'executed')).toMatchObject({ state: 'undone', result: { summary: 'Undone: the comment is no longer on ABC-126.' } });
  });

  it('the answer to the DELETE lost after Jira deleted it: retried, finds it gone, and holds as undone', async () => {
    const s = await postedComment('ABC-126', 'Undo whose answer is lost');
    let dropped = 0;
    b.jira!.hooks.beforeRespond = async (req) => {
      if (req.method === 'DELETE' && dropped === 0) {
        dropped += 1;
        throw new Error('connection lost after the delete');
      }
    };
    try {
      expect((await post(s.id, 'undo')).status).toBe(200);
      expect(await inState(s.id, 'undone', 'executed')).toMatchObject({ state: 'undone', result: { summary: 'Undone: the comment is no longer on ABC-126.' } });
    } finally {
      b.jira!.hooks.beforeRespond = undefined;
    }
    expect(dropped).toBe(1);
    expect(comments('ABC-126')).not.toContain('Undo whose answer is lost');
    expect(await trail(s.id)).toEqual(expect.arrayContaining(['suggestion.undo_requested', 'execution.outcome_unknown', 'suggestion.undone']));
  });

  it('refuses outside the window the admin set, in words, and changes nothing', async () => {
    // 1 minute, so the clock moved past it stays within SigV4's 5-minute skew.
    await putSettings({ undoWindowMinutes: 1 });
    try {
      const s = await postedComment('ABC-126', 'Too late to undo');
      offsetMs = 2 * 60_000;
      const late = await post(s.id, 'undo');
      expect(late.status).toBe(409);
      expect(await message(late)).toBe('This was done more than 1 minute ago, past the undo window, so it can no longer be undone. Change it in Jira by hand if needed.');
      expect((await b.store.getSuggestion(s.id))!.state).toBe('executed');
      expect(comments('ABC-126')).toContain('Too late to undo');
      // The same window applies to reopening a rejection.
      const r = await create({ actionType: 'jira_comment', payload: { issueKey: 'ABC-126', body: 'Reject then reopen late' } });
      offsetMs = 0;
      expect((await post(r.id, 'reject', { reason: 'no' })).status).toBe(200);
      offsetMs = 2 * 60_000;
      expect(await message(await post(r.id, 'reopen'))).toMatch(/more than 1 minute ago, past the undo window/);
      offsetMs = 30_000;
      expect((await post(r.id, 'reopen')).status).toBe(200);
    } finally {
      offsetMs = 0;
      await putSettings({ undoWindowMinutes: undefined });
    }
  });

  it('refuses what is not an executed comment, a non-approver, the agent, another mailbox\'s Outlook user, a body, and an unknown id', async () => {
    const pending = await create({ actionType: 'jira_comment', payload: { issueKey: 'ABC-126', body: 'Still pending' } });
    const notDone = await post(pending.id, 'undo');
    expect(notDone.status).toBe(409);
    expect(await message(notDone)).toMatch(/now “Waiting for approval”.*cannot be undone any more/);

    await putSettings({ autonomyLevel: 'delegated', holdDelayMinutes: 10 });
    try {
      const status = await create({ actionType: 'jira_status_change', payload: { issueKey: 'ABC-126', toStatus: 'In Progress' } });
      expect((await post(status.id, 'run-now', { payloadHash: status.payloadHash })).status).toBe(200);
      await inState(status.id, 'executed');
      const wrongType = await post(status.id, 'undo');
      expect(wrongType.status).toBe(422);
      expect(await message(wrongType)).toBe('A “change a jira issue status” cannot be undone here; only a Jira comment the agent posted can.');
    } finally {
      await putSettings({ autonomyLevel: 'manual' });
    }

    const s = await postedComment('ABC-126', 'Guarded undo');
    const stranger = await post(s.id, 'undo', {}, '712020:not-an-approver');
    expect(stranger.status).toBe(403);
    expect((await b.call(b.agent, `/v1/suggestions/${s.id}/undo`, jsonPost({}))).status).toBe(403);
    expect((await post('sug_00000000000000000000000000', 'undo')).status).toBe(404);
    // An Outlook user may act only on their own mailbox's suggestions: this one is answered as missing.
    const fromOutlook = await outlookClient(b).afterTheFact(s.id, { action: 'undo' }).catch((e: unknown) => e);
    expect(fromOutlook).toBeInstanceOf(NotFoundError);
    const withBody = await post(s.id, 'undo', { please: true });
    expect(withBody.status).toBe(400);
    expect((await b.store.getSuggestion(s.id))!.state).toBe('executed');
    expect(comments('ABC-126')).toContain('Guarded undo');
  });
});

describe('a held item: run now, or edit before it runs', () => {
  beforeAll(() => putSettings({ autonomyLevel: 'assisted', holdDelayMinutes: 30 }));
  afterAll(() => putSettings({ autonomyLevel: 'manual' }));

  it('"run now" runs it at once, bound to the hash seen; a stale hash is a conflict', async () => {
    const s = await create({ actionType: 'jira_comment', payload: { issueKey: 'ABC-127', body: 'Held note, run now' } });
    expect(s.state).toBe('scheduled');
    const stale = await post(s.id, 'run-now', { payloadHash: 'f'.repeat(64) });
    expect(stale.status).toBe(409);
    expect(await message(stale)).toMatch(/changed since you loaded it/);
    expect((await post(s.id, 'run-now', { payloadHash: s.payloadHash }, '712020:not-an-approver')).status).toBe(403);
    expect((await post(s.id, 'run-now', { payloadHash: s.payloadHash })).status).toBe(200);
    expect(await inState(s.id, 'executed', 'failed')).toMatchObject({ state: 'executed', decision: { kind: 'approved' } });
    expect(comments('ABC-127')).toContain('Held note, run now');
    expect(await trail(s.id)).toEqual(['suggestion.created', 'suggestion.run_now', 'execution.started', 'suggestion.executed']);
    expect((await post(s.id, 'run-now', { payloadHash: s.payloadHash })).status).toBe(409);
  });

  it('an edit keeps the hold timer and runs the edited text when it is due; a stale base is a conflict', async () => {
    const s = await create({ actionType: 'jira_comment', payload: { issueKey: 'ABC-127', body: 'Held note, first draft' } });
    const payload = { issueKey: 'ABC-127', body: 'Held note, edited by Pat' };
    const hash = await payloadHash(payload);
    const stale = await post(s.id, 'edit', { payload, payloadHash: hash, basePayloadHash: 'e'.repeat(64) });
    expect(stale.status).toBe(409);
    const wrongHash = await post(s.id, 'edit', { payload, payloadHash: s.payloadHash, basePayloadHash: s.payloadHash });
    expect(wrongHash.status).toBe(400);
    const otherField = await post(s.id, 'edit', { payload: { issueKey: 'ABC-128', body: 'x' }, payloadHash: await payloadHash({ issueKey: 'ABC-128', body: 'x' }), basePayloadHash: s.payloadHash });
    expect(otherField.status).toBe(400);
    const res = await post(s.id, 'edit', { payload, payloadHash: hash, basePayloadHash: s.payloadHash });
    expect(res.status).toBe(200);
    const edited = ((await res.json()) as { suggestion: Suggestion }).suggestion;
    expect(edited).toMatchObject({ state: 'scheduled', runAt: s.runAt, payloadHash: hash, edited: true, decision: { kind: 'approved', payloadHash: hash } });
    await b.dispatcher!.kick(); // a full pass: not due yet, so nothing runs
    expect((await b.store.getSuggestion(s.id))!.state).toBe('scheduled');
    offsetMs = 31 * 60_000;
    expect(await inState(s.id, 'executed', 'failed')).toMatchObject({ state: 'executed' });
    expect(comments('ABC-127')).toContain('Held note, edited by Pat');
    expect(comments('ABC-127')).not.toContain('Held note, first draft');
    expect(await trail(s.id)).toEqual(['suggestion.created', 'suggestion.edited_in_hold', 'execution.started', 'suggestion.executed']);
  });
});

describe('retry of a failed status change with a status Jira offers', () => {
  it('records the statuses Jira offered, refuses others in words, and runs again with the chosen one', async () => {
    const s = await create({ actionType: 'jira_status_change', payload: { issueKey: 'ABC-125', toStatus: 'Done' } });
    expect((await post(s.id, 'approve', { payloadHash: s.payloadHash })).status).toBe(200);
    const failed = await inState(s.id, 'failed', 'executed');
    expect(failed.state).toBe('failed');
    const from = b.jira!.state.issue('ABC-125')!.status;
    const offered = failed.result!.offeredStatuses!;
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain('Done');

    const notOffered = await post(s.id, 'retry', { payloadHash: failed.payloadHash, toStatus: 'Done' });
    expect(notOffered.status).toBe(400);
    expect(await message(notOffered)).toMatch(/“Done” is not a status Jira offered for ABC-125\. Choose one of: /);
    const stale = await post(s.id, 'retry', { payloadHash: 'a'.repeat(64), toStatus: offered[0] });
    expect(stale.status).toBe(409);
    expect((await post(s.id, 'retry', { payloadHash: failed.payloadHash, toStatus: offered[0] }, '712020:not-an-approver')).status).toBe(403);
    expect((await post(s.id, 'retry', { payloadHash: failed.payloadHash, toStatus: 'x'.repeat(300) })).status).toBe(400);

    const res = await post(s.id, 'retry', { payloadHash: failed.payloadHash, toStatus: offered[0]!.toUpperCase() });
    expect(res.status).toBe(200);
    const done = await inState(s.id, 'executed', 'failed');
    expect(done).toMatchObject({ state: 'executed', payload: { toStatus: offered[0] }, originalPayload: { toStatus: 'Done' } });
    expect(b.jira!.state.issue('ABC-125')!.status).not.toBe(from);
    expect(b.jira!.state.issue('ABC-125')!.status).toBe(offered[0]);
    expect(await trail(s.id)).toEqual([
      'suggestion.created',
      'suggestion.approved',
      'execution.started',
      'suggestion.failed',
      'suggestion.retried',
      'execution.started',
      'suggestion.executed',
    ]);
  });

  it('refuses to retry what is not a failed status change', async () => {
    const c = await create({ actionType: 'jira_comment', payload: { issueKey: 'ZZZ-9', body: 'Fails: no such issue' } });
    expect((await post(c.id, 'approve', { payloadHash: c.payloadHash })).status).toBe(200);
    const failed = await inState(c.id, 'failed', 'executed');
    const res = await post(c.id, 'retry', { payloadHash: failed.payloadHash, toStatus: 'Done' });
    expect(res.status).toBe(422);
    expect(await message(res)).toBe('Only a failed status change can be retried with another status.');
  });
});
