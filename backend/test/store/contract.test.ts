import { DEFAULT_SETTINGS, payloadHash, type CreateSuggestionRequest, type Settings, type Suggestion, type Triage } from '@pm-agent/shared';
import { isApprover, type Caller } from '../../src/domain/caller';
import { dueAt } from '../../src/domain/hold-clock';
import { updateSettings } from '../../src/domain/settings';
import { approveSuggestion, createSuggestion, expireDue, rejectSuggestion, reopenSuggestion, stopSuggestion } from '../../src/domain/suggestions';
import { ExecutionDispatcher } from '../../src/api/execute/dispatcher';
import { verifyChain } from '../../src/store/audit-chain';
import { DynamoStore } from '../../src/store/dynamodb/dynamodb-store';
import { ChangeTooLarge, ConditionFailed, type Store } from '../../src/store/store';
import { dynamoKind, sqliteKind, type StoreKind } from './support';

/**
 * The store contract, the same cases on both stores: SQLite, and Amazon's DynamoDB Local (started
 * once for this file on a free loopback port; every test gets its own tables).
 */
const APPROVER: Caller = { principal: 'forge', actor: { principal: 'forge', id: '712020:approver' }, admin: false };
const ADMIN: Caller = { principal: 'forge', actor: { principal: 'forge', id: '712020:admin' }, admin: true };
const AGENT: Caller = { principal: 'agent', actor: { principal: 'agent', id: 'pm-agent' }, admin: false };

const comment = (body: string, issueKey = 'ABC-1', extra: Partial<CreateSuggestionRequest> = {}): CreateSuggestionRequest => ({
  actionType: 'jira_comment',
  payload: { issueKey, body },
  rationale: 'status update',
  provenance: { source: 'agent', ref: 'run-1', excerpt: '' },
  ...extra,
});
// A hold-queue action: emails always wait for the person who sends them (issue 14), so a status change.
const heldStatus = (): CreateSuggestionRequest => ({
  actionType: 'jira_status_change',
  payload: { issueKey: 'ABC-123', toStatus: 'In Review' },
  rationale: 'a reviewer was assigned',
  provenance: { source: 'agent', ref: 'run', excerpt: '' },
});

const triageOf = (messageKey: string, revision: number, at: string): Triage => ({
  messageKey,
  internetMessageId: '<retriage@example.com>',
  mailbox: 'pat.morgan@example.com',
  revision,
  status: 'complete',
  statusReason: null,
  classifier: 'offline',
  model: null,
  category: 'fyi',
  priority: 'low',
  issueKeys: [],
  summary: `revision ${revision}`,
  facts: null,
  signals: [],
  links: [],
  notices: [],
  suggestions: [],
  createdAt: at,
});

describe.each<[string, () => StoreKind]>([
  ['SQLite', sqliteKind],
  ['DynamoDB Local', dynamoKind],
])('the store contract on %s', (_name, makeKind) => {
  const kind = makeKind();
  let store: Store;
  let reopen: () => Promise<Store>;
  let clock = Date.parse('2026-12-01T10:00:00.000Z');
  const now = () => new Date(clock);
  const deps = () => ({ store, now });
  const opened: Store[] = [];

  beforeAll(() => kind.setup(), 90_000);
  afterAll(() => kind.teardown(), 30_000);
  beforeEach(async () => {
    clock = Date.parse('2026-12-01T10:00:00.000Z');
    ({ store, reopen } = await kind.open());
    opened.push(store);
    await settings({ approvers: [{ name: 'Approver', jiraAccountId: APPROVER.actor.id }] });
  }, 60_000);
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  async function settings(change: Partial<Settings>, expectedVersion?: number) {
    const current = await store.getSettings();
    return updateSettings(deps(), ADMIN, { ...DEFAULT_SETTINGS, ...current.settings, ...change }, expectedVersion);
  }

  async function create(req: CreateSuggestionRequest = comment('hello')): Promise<Suggestion> {
    const out = await createSuggestion(deps(), AGENT, req);
    expect(out.status).toBe(201);
    return (out.body as { suggestion: Suggestion }).suggestion;
  }

  async function chainOk() {
    const { entries, head } = await store.readAuditChain();
    return { report: verifyChain(entries, head), entries };
  }

  it('creates, reads back, lists by issue and state, and pages without gaps or repeats', async () => {
    const made: Suggestion[] = [];
    for (let i = 0; i < 5; i += 1) {
      clock += 1_000;
      made.push(await create(comment(`c${i}`, i % 2 ? 'ABC-2' : 'ABC-1')));
    }
    expect(await store.getSuggestion(made[0]!.id)).toEqual(made[0]);
    expect(await store.countSuggestions()).toBe(5);
    expect((await store.listSuggestions({ issueKey: 'ABC-1' })).map((s) => s.id)).toEqual([made[4]!.id, made[2]!.id, made[0]!.id]);
    expect((await store.listSuggestions({ issueKey: 'ABC-2', state: 'pending' })).length).toBe(2);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.pageSuggestions({ limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.next ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((s) => s.id).reverse());
  });

  it('approves exactly once under 50 concurrent approvals: one approval, one audit entry', async () => {
    const s = await create();
    const outs = await Promise.all(Array.from({ length: 50 }, () => approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash })));
    expect(outs.filter((o) => o.status === 200)).toHaveLength(1);
    expect(outs.filter((o) => o.status === 409)).toHaveLength(49);
    expect((await store.getSuggestion(s.id))!).toMatchObject({ state: 'approved', version: 2 });
    const { report, entries } = await chainOk();
    expect(report.ok).toBe(true);
    expect(entries.filter((e) => e.action === 'suggestion.approved' && e.subject === s.id)).toHaveLength(1);
  }, 120_000);

  it('answers a stale hash with 409 carrying the current suggestion, and changes nothing', async () => {
    const s = await create();
    const stale = await payloadHash({ ...s.payload, body: 'older text' });
    const out = await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: stale });
    expect(out.status).toBe(409);
    expect((out.body as { current: Suggestion }).current).toEqual(s);
    expect(await store.getSuggestion(s.id)).toEqual(s);
  });

  it('replays an idempotent request (also when repeated concurrently) with the first answer', async () => {
    const s = await create();
    const outs = await Promise.all(Array.from({ length: 10 }, () => approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash }, 'key-0123456789')));
    expect(new Set(outs.map((o) => JSON.stringify(o))).size).toBe(1);
    expect(outs[0]!.status).toBe(200);
    const again = await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash }, 'key-0123456789');
    expect(again).toEqual(outs[0]);
    const other = await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: 'f'.repeat(64) }, 'key-0123456789');
    expect(other.status).toBe(422);
    expect((await chainOk()).entries.filter((e) => e.action === 'suggestion.approved')).toHaveLength(1);
  }, 60_000);

  it('rejects with a reason, once', async () => {
    const s = await create();
    const out = await rejectSuggestion(deps(), APPROVER, s.id, 'not now');
    expect(out.status).toBe(200);
    expect((await store.getSuggestion(s.id))!).toMatchObject({ state: 'rejected', decision: { kind: 'rejected', reason: 'not now' } });
    expect((await rejectSuggestion(deps(), APPROVER, s.id, 'again')).status).toBe(409);
  });

  it('refuses to approve an expired suggestion, even before the sweep marked it', async () => {
    const s = await create(comment('late', 'ABC-1', { expiresAt: new Date(clock + 60_000).toISOString() }));
    clock += 2 * 60_000;
    const out = await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash });
    expect(out.status).toBe(409);
    expect((out.body as { message: string }).message).toMatch(/expired/);
    expect((await store.getSuggestion(s.id))!.state).toBe('pending');
    expect(await expireDue(deps(), { principal: 'system', id: 'backend' })).toBe(1);
    expect((await store.getSuggestion(s.id))!.state).toBe('expired');
  });

  it('keeps hold timers: due only after runAt, stoppable, and stopped still by a pause without rewriting them', async () => {
    await settings({ autonomyLevel: 'delegated', holdDelayMinutes: 30 });
    const held = await create(heldStatus());
    const other = await create(heldStatus());
    expect(held.state).toBe('scheduled');
    expect(await store.listRunnable(now().toISOString(), 50)).toEqual([]);
    expect((await store.listScheduled({})).items.map((s) => s.id).sort()).toEqual([held.id, other.id].sort());
    expect((await stopSuggestion(deps(), APPROVER, other.id)).status).toBe(200);

    clock += 10 * 60_000;
    await settings({ paused: true });
    clock += 20 * 60_000; // paused for 20 minutes
    const { pauses } = await store.getPauses();
    expect(dueAt(held, pauses)).toBeNull(); // still paused: not due
    const auditBefore = (await store.readAuditChain()).entries.length;
    await settings({ paused: false });
    const after = (await store.getSuggestion(held.id))!;
    expect(Date.parse(after.runAt!) - Date.parse(held.runAt!)).toBe(20 * 60_000);
    // The resume itself wrote 3 entries (settings, resumed) + one reschedule for the one held item.
    expect((await store.readAuditChain()).entries.slice(auditBefore).map((e) => e.action)).toEqual(['settings.updated', 'agent.resumed', 'hold.rescheduled']);
    clock += 15 * 60_000;
    expect((await store.listRunnable(now().toISOString(), 50)).map((s) => s.id)).toEqual([]);
    clock += 6 * 60_000;
    expect((await store.listRunnable(now().toISOString(), 50)).map((s) => s.id)).toEqual([held.id]);
  });

  it('claims through the outbox and completes: executing, then executed, the outbox row done', async () => {
    const s = await create();
    await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash });
    const jobs: string[] = [];
    const dispatcher = new ExecutionDispatcher({
      store,
      now,
      execute: async (job) => {
        jobs.push(job.suggestion.id);
        expect(job.suggestion.state).toBe('executing');
        expect((await store.listOutbox('pending')).items.map((e) => e.suggestionId)).toEqual([s.id]);
        return { outcome: 'executed', summary: 'posted' };
      },
    });
    await dispatcher.kick();
    await dispatcher.kick();
    expect(jobs).toEqual([s.id]);
    expect((await store.getSuggestion(s.id))!).toMatchObject({ state: 'executed', result: { ok: true, summary: 'posted' } });
    expect(await store.getOutbox(s.id)).toMatchObject({ state: 'done', attempts: 0 });
    expect((await store.listOutbox('pending')).items).toEqual([]);
    expect((await chainOk()).entries.filter((e) => e.subject === s.id).map((e) => e.action)).toEqual(['suggestion.created', 'suggestion.approved', 'execution.started', 'suggestion.executed']);
  });

  it('versions the settings: a change based on an old version is refused, and two at once make one', async () => {
    const v = (await store.getSettings()).version;
    const outs = await Promise.all([settings({ holdDelayMinutes: 5 }, v), settings({ holdDelayMinutes: 6 }, v)]);
    expect(outs.map((o) => o.status).sort()).toEqual([200, 409]);
    expect((await store.getSettings()).version).toBe(v + 1);
    expect((await settings({ holdDelayMinutes: 7 }, v)).status).toBe(409);
  });

  it('keeps the audit chain intact under concurrent writers', async () => {
    const made = await Promise.all(Array.from({ length: 20 }, (_, i) => create(comment(`burst ${i}`))));
    await Promise.all(made.slice(0, 10).map((s) => approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash })));
    const { report, entries } = await chainOk();
    expect(report).toMatchObject({ ok: true });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.action === 'suggestion.created')).toHaveLength(20);
  }, 120_000);

  it('keeps the audit chain intact when several instances (as several Lambda instances) write at once', async () => {
    const made = await Promise.all(Array.from({ length: 15 }, (_, i) => create(comment(`instances ${i}`))));
    const others = [await reopen(), await reopen()];
    opened.push(...others);
    const instances = [store, ...others];
    const outcomes = await Promise.all(made.map((s, i) => approveSuggestion({ store: instances[i % 3]!, now }, APPROVER, s.id, { payloadHash: s.payloadHash })));
    expect(outcomes.map((o) => o.status)).toEqual(made.map(() => 200));
    const { report, entries } = await chainOk();
    expect(report).toMatchObject({ ok: true });
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.filter((e) => e.action === 'suggestion.approved')).toHaveLength(15);
  }, 120_000);

  if (_name === 'DynamoDB Local') {
    it('does not make one instance\'s own commits race for the audit head', async () => {
      const made = await Promise.all(Array.from({ length: 20 }, (_, i) => create(comment(`one instance ${i}`))));
      const before = (store as DynamoStore).stats.headRetries;
      await Promise.all(made.map((s) => approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash })));
      expect((store as DynamoStore).stats.headRetries - before).toBe(0);
      expect((await chainOk()).report).toMatchObject({ ok: true });
    }, 120_000);
  }

  it('keeps every triage of a message: a re-triage adds the next revision, conditioned on the one it replaces', async () => {
    const key = `msg_${'a'.repeat(32)}`;
    const first = triageOf(key, 1, now().toISOString());
    expect(await store.getTriage(key)).toBeNull();
    expect(await store.listTriageRevisions(key)).toEqual([]);
    await store.commit({ writes: [{ kind: 'triage', value: first }] });
    expect(await store.getTriage(key)).toEqual(first);
    clock += 60_000;
    const second = triageOf(key, 2, now().toISOString());
    await store.commit({ writes: [{ kind: 'retriage', value: second, replaces: 1 }] });
    expect(await store.getTriage(key)).toEqual(second);
    // A re-triage based on a revision that is no longer current is refused, and changes nothing.
    await expect(store.commit({ writes: [{ kind: 'retriage', value: triageOf(key, 2, now().toISOString()), replaces: 1 }] })).rejects.toBeInstanceOf(ConditionFailed);
    // Two re-triages of revision 2 at once: one becomes revision 3, the other is refused.
    clock += 60_000;
    const racing = ['one', 'two'].map((summary) => ({ ...triageOf(key, 3, now().toISOString()), summary }));
    const outs = await Promise.allSettled(racing.map((t) => store.commit({ writes: [{ kind: 'retriage', value: t, replaces: 2 }] })));
    expect(outs.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((outs.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConditionFailed);
    const third = racing[outs.findIndex((o) => o.status === 'fulfilled')]!;
    expect(await store.getTriage(key)).toEqual(third);
    // A message never triaged cannot be re-triaged.
    const other = `msg_${'b'.repeat(32)}`;
    await expect(store.commit({ writes: [{ kind: 'retriage', value: triageOf(other, 2, now().toISOString()), replaces: 1 }] })).rejects.toBeInstanceOf(ConditionFailed);
    expect(await store.getTriage(other)).toBeNull();
    // With a failing condition elsewhere in the change set, the re-triage is not written either.
    const s = await create();
    const stale = { kind: 'suggestion' as const, value: { ...s, state: 'superseded' as const, version: 3 }, expectedVersion: 2 };
    await expect(store.commit({ writes: [{ kind: 'retriage', value: triageOf(key, 4, now().toISOString()), replaces: 3 }, stale] })).rejects.toBeInstanceOf(ConditionFailed);
    expect(await store.getTriage(key)).toEqual(third);
    // The history is kept in order, across a restart too.
    expect(await store.listTriageRevisions(key)).toEqual([first, second, third]);
    const again = await reopen();
    opened.push(again);
    expect(await again.listTriageRevisions(key)).toEqual([first, second, third]);
    expect(await again.getTriage(key)).toEqual(third);
  });

  it('a rejected suggestion of an earlier triage cannot be reopened once its email is triaged again, also when the re-triage commits while the reopen decides', async () => {
    const key = `msg_${'c'.repeat(32)}`;
    await store.commit({ writes: [{ kind: 'triage', value: triageOf(key, 1, now().toISOString()) }] });
    // Three suggestions of that triage, as the pipeline records them, each rejected.
    const made: Suggestion[] = [];
    for (const body of ['one', 'two', 'three']) {
      const s = await create(comment(body));
      await store.commit({ writes: [{ kind: 'suggestion', value: { ...s, triage: { messageKey: key, revision: 1 }, version: 2 }, expectedVersion: 1 }] });
      expect((await rejectSuggestion(deps(), APPROVER, s.id, 'not now')).status).toBe(200);
      made.push((await store.getSuggestion(s.id))!);
    }
    const [before, racing, after] = made as [Suggestion, Suggestion, Suggestion];
    // Before any re-triage it reopens as usual.
    expect((await reopenSuggestion(deps(), APPROVER, before.id)).status).toBe(200);
    expect(await store.getSuggestion(before.id)).toMatchObject({ state: 'pending', decision: null });

    // The re-triage commits after the reopen has read the email's triage and before it commits.
    let retriaged = false;
    const interleaved = new Proxy(store, {
      get(target, name) {
        if (name === 'getTriage') {
          return async (messageKey: string) => {
            const read = await target.getTriage(messageKey);
            if (!retriaged) {
              retriaged = true;
              await target.commit({ writes: [{ kind: 'retriage', value: triageOf(key, 2, now().toISOString()), replaces: 1 }] });
            }
            return read;
          };
        }
        const value = Reflect.get(target, name) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const raced = await reopenSuggestion({ store: interleaved, now }, APPROVER, racing.id);
    expect(retriaged).toBe(true);
    expect(raced.status).toBe(409);
    expect((raced.body as { message: string }).message).toMatch(/earlier triage of the email.*triaged again since.*new triage’s suggestions/);
    expect(await store.getSuggestion(racing.id)).toEqual(racing);
    // After it: refused at once, in the same words; nothing changed, nothing audited.
    const entries = (await store.listAudit(0, 10_000)).length;
    const refused = await reopenSuggestion(deps(), APPROVER, after.id);
    expect(refused.status).toBe(409);
    expect((refused.body as { message: string }).message).toMatch(/triaged again since/);
    expect(await store.getSuggestion(after.id)).toEqual(after);
    expect((await store.listAudit(0, 10_000)).length).toBe(entries);
    // The check alone: the message is no longer at revision 1, and is at 2.
    await expect(store.commit({ writes: [], checks: [{ kind: 'triageRevision', messageKey: key, revision: 1 }] })).rejects.toBeInstanceOf(ConditionFailed);
    await store.commit({ writes: [], checks: [{ kind: 'triageRevision', messageKey: key, revision: 2 }] });
    // From revision 2 on the check reads the pointer: a third triage makes revision 2 stale too.
    await store.commit({ writes: [{ kind: 'retriage', value: triageOf(key, 3, now().toISOString()), replaces: 2 }] });
    await expect(store.commit({ writes: [], checks: [{ kind: 'triageRevision', messageKey: key, revision: 2 }] })).rejects.toBeInstanceOf(ConditionFailed);
    await store.commit({ writes: [], checks: [{ kind: 'triageRevision', messageKey: key, revision: 3 }] });
  });

  it('a change set whose condition fails in the middle changes nothing', async () => {
    const a = await create(comment('a'));
    const b = await create(comment('b'));
    const headBefore = await store.getAuditHead();
    const fresh: Suggestion = { ...a, id: 'sug_freshfreshfreshfreshfre', version: 1 };
    const changes = {
      writes: [
        { kind: 'suggestion' as const, value: { ...a, state: 'approved' as const, version: 2 }, expectedVersion: 1 },
        { kind: 'suggestion' as const, value: fresh, expectedVersion: null },
        { kind: 'suggestion' as const, value: { ...b, state: 'rejected' as const, version: 3 }, expectedVersion: 2 }, // b is version 1: fails
        { kind: 'idempotency' as const, scope: 'test', key: 'k-00000001', record: { fingerprint: 'x', status: 200, body: {}, at: now().toISOString() } },
        { kind: 'modelUsage' as const, day: '2026-12-01', add: { calls: 1, inputTokens: 10, outputTokens: 5 } },
      ],
      audit: [{ at: now().toISOString(), actor: AGENT.actor, action: 'test.change', subject: a.id, details: {} }],
    };
    await expect(store.commit(changes)).rejects.toBeInstanceOf(ConditionFailed);
    expect(await store.getSuggestion(a.id)).toEqual(a);
    expect(await store.getSuggestion(fresh.id)).toBeNull();
    expect(await store.getSuggestion(b.id)).toEqual(b);
    expect(await store.recallIdempotent('test', 'k-00000001')).toBeNull();
    expect((await store.getModelUsage('2026-12-01')).calls).toBe(0);
    expect(await store.getAuditHead()).toEqual(headBefore);
    expect((await chainOk()).report.ok).toBe(true);
  });

  it('refuses a change set larger than one DynamoDB transaction, on both stores, writing nothing', async () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ kind: 'modelUsage' as const, day: `d${i}`, add: { calls: 1, inputTokens: 0, outputTokens: 0 } }));
    await expect(store.commit({ writes: many })).rejects.toBeInstanceOf(ChangeTooLarge);
    expect((await store.getModelUsage('d0')).calls).toBe(0);
  });

  it('settings stored in the old shape (two lists, before approvers were people) still load and authorise exactly the same people', async () => {
    // Written as the code before this change wrote them: the document, and an audit entry with its before/after, through the store's own writer.
    const legacy = { jiraAccountIds: [APPROVER.actor.id, '712020:second'], emails: ['pat@example.com', 'Dana@Example.com'] };
    const current = await store.getSettings();
    const old = { ...current.settings, approvers: legacy } as unknown as Settings;
    const at = now().toISOString();
    await store.commit({
      writes: [{ kind: 'settings', value: { settings: old, version: current.version + 1, updatedAt: at, updatedBy: ADMIN.actor }, pauses: [] }],
      audit: [{ at, actor: ADMIN.actor, action: 'settings.updated', subject: 'settings', details: { version: current.version + 1, changed: ['approvers'], before: { approvers: { jiraAccountIds: [APPROVER.actor.id], emails: [] } }, after: { approvers: legacy } } }],
    });
    const outlook = (id: string): Caller => ({ principal: 'outlook', actor: { principal: 'outlook', id }, admin: false });
    const jira = (id: string): Caller => ({ principal: 'forge', actor: { principal: 'forge', id }, admin: false });
    const who = (view: { settings: Settings }) =>
      [jira(APPROVER.actor.id), jira('712020:second'), outlook('pat@example.com'), outlook('dana@example.com'), jira('712020:stranger'), outlook('stranger@example.com'), jira('pat@example.com'), outlook(APPROVER.actor.id)].map((c) => isApprover(c, view.settings));
    const allowed = [true, true, true, true, false, false, false, false];

    const loaded = await store.getSettings();
    expect(loaded.version).toBe(current.version + 1);
    expect(who(loaded)).toEqual(allowed);
    expect(loaded.settings.approvers).toHaveLength(4); // never loses one
    // A decision works on them as before; someone on neither list is still refused.
    const s = await create();
    expect((await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash })).status).toBe(200);
    const other = await create(comment('other'));
    expect(await approveSuggestion(deps(), jira('712020:stranger'), other.id, { payloadHash: other.payloadHash })).toMatchObject({ status: 403 });

    // An unrelated change saves the people in the new shape without changing who they are, and the old audit entry still verifies.
    expect((await settings({ holdDelayMinutes: 12 })).status).toBe(200);
    const reopened = await reopen();
    opened.push(reopened);
    const after = await reopened.getSettings();
    expect(after.settings.approvers).toEqual(loaded.settings.approvers);
    expect(who(after)).toEqual(allowed);
    const { report, entries } = await chainOk();
    expect(report.ok).toBe(true);
    expect(entries.at(-1)).toMatchObject({ action: 'settings.updated', details: { changed: ['holdDelayMinutes'] } });
  });

  it('loses nothing committed across a restart', async () => {
    const s = await create();
    await approveSuggestion(deps(), APPROVER, s.id, { payloadHash: s.payloadHash });
    await store.commit({ writes: [{ kind: 'modelUsage', day: '2026-12-01', add: { calls: 2, inputTokens: 3, outputTokens: 4 } }] });
    const before = { s: await store.getSuggestion(s.id), chain: await store.readAuditChain(), settings: await store.getSettings() };
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    store = await reopen();
    opened.push(store);
    expect({ s: await store.getSuggestion(s.id), chain: await store.readAuditChain(), settings: await store.getSettings() }).toEqual(before);
    expect(await store.getModelUsage('2026-12-01')).toEqual({ day: '2026-12-01', calls: 2, inputTokens: 3, outputTokens: 4 });
  });
});
