import { payloadHash, type Suggestion } from '@pm-agent/shared';
import { RESOLVER_NAMES, type ResolverError, type ResolverName, type ResultOf } from '../src/common/contract';
import { ACCESS } from '../src/resolvers/definitions';
import { buildResolver, resolverDefinitions } from '../src/resolvers';
import { createMemoryPorts } from '../src/stand-ins';
import {
  ADMIN,
  APPROVER,
  CLOUD_ID,
  VIEWER,
  changeSettings,
  commentProposal,
  comments,
  connectedPorts,
  contextFor,
  portsForDeadBackend,
  propose,
  settled,
  startForgeSetup,
  until,
  type ForgeSetup,
} from './support/backend';

/** A fake key id, assembled so the repository holds no key-shaped literal. */
const FAKE_KEY_ID = ['AKIA', 'ABCDEFGHIJKLMNOP'].join('');

/** The resolvers through their definitions, with realistic Forge contexts, against the real local backend. */

let setup: ForgeSetup;
beforeAll(async () => (setup = await startForgeSetup()));
afterAll(() => setup.b.stop());

const panel = (accountId: string, issueKey = 'ABC-123') => contextFor('issuePanel', accountId, issueKey);
const admin = (accountId = ADMIN) => contextFor('adminPage', accountId);

function expectOk<N extends ResolverName>(res: ResultOf<N>): asserts res is Extract<ResultOf<N>, { ok: true }> {
  if (!res.ok) throw new Error(`expected ok, got ${res.error.kind}: ${res.error.message}`);
}
function expectError<N extends ResolverName>(res: ResultOf<N>): ResolverError {
  if (res.ok) throw new Error('expected an error, got ok');
  return res.error;
}

describe('the issue panel resolvers', () => {
  it('loads this issue’s suggestions and the viewer in one call, with the issue taken from the context', async () => {
    const { defs } = setup;
    const res = await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) });
    expectOk(res);
    expect(res.issueKey).toBe('ABC-123');
    expect(res.viewer).toMatchObject({ canApprove: true, paused: false, autonomyLevel: 'manual', actor: { principal: 'forge', id: APPROVER, site: CLOUD_ID } });
    expect(res.items.every((i) => i.suggestion.issueKey === 'ABC-123')).toBe(true);
    expect(res.items.some((i) => i.suggestion.actionType === 'jira_comment' && i.suggestion.state === 'pending')).toBe(true);

    const other = await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER, 'ABC-124') });
    expectOk(other);
    expect(other.items.map((i) => i.suggestion.actionType)).toEqual(['jira_status_change']);
  });

  it('approving twice posts the comment once: the second approval is a conflict, not a second post', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Approve-twice check: the sandbox moves to 4 December.'));
    const [first, second] = await Promise.all([1, 2].map(() => defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash }, context: panel(APPROVER) })));
    const results = [first!, second!];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = expectError(results.find((r) => !r.ok)!);
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toMatch(/Someone got there first: this suggestion is now “(Approved, about to run|Running|Done)”/);

    const done = await settled(b, s.id);
    expect(done.state).toBe('executed');
    expect(comments(b, 'ABC-123').filter((c) => c === s.payload.body)).toHaveLength(1);
    const after = await defs.getSuggestion({ payload: { id: s.id }, context: panel(APPROVER) });
    expectOk(after);
    expect(after.item.suggestion.result).toMatchObject({ ok: true, summary: 'Comment posted on ABC-123.' });
    expect(after.item.suggestion.result!.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/browse\/ABC-123/);

    // The backend recorded the verified accountId and site the resolver signed, and the person's name from the approver list.
    const audit = (await b.store.readAuditChain()).entries.find((e) => e.subject === s.id && e.action === 'suggestion.approved');
    expect(audit?.actor).toEqual({ principal: 'forge', id: APPROVER, site: CLOUD_ID, name: 'Pat Morgan' });
  });

  it('a user not on the approver list sees suggestions, but the backend refuses their decisions and nothing changes', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Non-approver check.'));
    const seen = await defs.getIssueSuggestions({ payload: {}, context: panel(VIEWER) });
    expectOk(seen);
    expect(seen.viewer.canApprove).toBe(false);
    expect(seen.items.map((i) => i.suggestion.id)).toContain(s.id);

    for (const attempt of [
      defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash }, context: panel(VIEWER) }),
      defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash, editedText: 'Sneaky edit' }, context: panel(VIEWER) }),
      defs.reject({ payload: { id: s.id, reason: 'nope' }, context: panel(VIEWER) }),
    ]) {
      const error = expectError(await attempt);
      expect(error.kind).toBe('not_approver');
      expect(error.message).toBe('You can see these suggestions but you are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.');
    }
    // The identity comes from Forge's context only: a payload naming someone else is refused outright.
    const smuggled = expectError(await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash, accountId: APPROVER }, context: panel(VIEWER) }));
    expect(smuggled.kind).toBe('invalid_request');
    expect(smuggled.issues).toEqual([{ path: '(body)', message: 'unknown field: accountId' }]);

    // One full dispatcher pass instead of a sleep: had anything been approved, it would have run by now.
    await b.dispatcher!.kick();
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');
    expect(comments(b, 'ABC-123')).not.toContain('Non-approver check.');
  });

  it('Forge’s verified principal is the identity: a context claiming the approver does not make a viewer one', async () => {
    const { ports } = setup;
    const handler = buildResolver(ports).getDefinitions();
    const invoke = (principal: string) =>
      handler({ call: { functionKey: 'getIssueSuggestions', payload: {} }, context: { ...panel(APPROVER) } }, { principal: { accountId: principal } }) as Promise<ResultOf<'getIssueSuggestions'>>;
    const asViewer = await invoke(VIEWER);
    expectOk(asViewer);
    expect(asViewer.viewer).toMatchObject({ canApprove: false, actor: { id: VIEWER } });
    const asApprover = await invoke(APPROVER);
    expectOk(asApprover);
    expect(asApprover.viewer.canApprove).toBe(true);
  });

  it('approving from a stale view shows the conflict and the new payload, and posts nothing', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Stale view: the original text.'));
    // The payload changes after the approver loaded it.
    const changed = { ...s.payload, body: 'Stale view: the text changed meanwhile.' };
    const changedHash = await payloadHash(changed);
    const cur = (await b.store.getSuggestion(s.id))!;
    await b.store.commit({ writes: [{ kind: 'suggestion', value: { ...cur, payload: changed, payloadHash: changedHash, version: cur.version + 1 }, expectedVersion: cur.version }] });

    const plain = expectError(await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash }, context: panel(APPROVER) }));
    expect(plain.kind).toBe('conflict');
    expect(plain.current).toMatchObject({ id: s.id, state: 'pending', payloadHash: changedHash, payload: changed });

    const edited = expectError(await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash, editedText: 'My edit of the old text' }, context: panel(APPROVER) }));
    expect(edited.kind).toBe('conflict');
    expect(edited.current?.payload).toEqual(changed);

    // One full dispatcher pass instead of a sleep: had anything been approved, it would have run by now.
    await b.dispatcher!.kick();
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');
    const posted = comments(b, 'ABC-123');
    expect(posted).not.toContain(changed.body);
    expect(posted).not.toContain('My edit of the old text');
  });

  it('edit then approve sends the edited payload with its own hash; the card can show it was edited', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Edit check: the agent’s words.'));
    const res = await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash, editedText: 'Edit check: the approver’s words.' }, context: panel(APPROVER) });
    expectOk(res);
    const approved = res.item.suggestion;
    expect(approved).toMatchObject({ edited: true, state: 'approved', payload: { issueKey: 'ABC-123', body: 'Edit check: the approver’s words.' }, originalPayload: s.payload });
    expect(approved.payloadHash).toBe(await payloadHash(approved.payload));
    expect(approved.decision?.payloadHash).toBe(approved.payloadHash);
    expect((await settled(b, s.id)).state).toBe('executed');
    expect(comments(b, 'ABC-123')).toContain('Edit check: the approver’s words.');
    expect(comments(b, 'ABC-123')).not.toContain('Edit check: the agent’s words.');
  });

  it('an edit that breaks the action’s schema is refused in words before anything is sent', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Bad edit check.'));
    const error = expectError(await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash, editedText: 'bell\u0007' }, context: panel(APPROVER) }));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toMatch(/control characters/);
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');

    // A status change has no text to edit: routing fields are never editable.
    const status = (await b.store.listSuggestions({ issueKey: 'ABC-124' })).find((x) => x.actionType === 'jira_status_change')!;
    const notEditable = expectError(await defs.approve({ payload: { id: status.id, payloadHash: status.payloadHash, editedText: 'Done' }, context: panel(APPROVER, 'ABC-124') }));
    expect(notEditable).toEqual({ kind: 'invalid_request', message: 'Change a Jira issue status: this kind of action cannot be edited, only approved or rejected.' });
    expect((await b.store.getSuggestion(status.id))!.state).toBe('pending');
  });

  it('reject records the reason', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Reject check.'));
    const res = await defs.reject({ payload: { id: s.id, reason: 'The customer already knows.' }, context: panel(APPROVER) });
    expectOk(res);
    expect(res.item.suggestion).toMatchObject({ state: 'rejected', decision: { kind: 'rejected', reason: 'The customer already knows.', by: { id: APPROVER } } });
  });

  it('hold-queue items come with the time left, and Stop stops them', async () => {
    const { b, defs } = setup;
    await changeSettings(b, { autonomyLevel: 'assisted', holdDelayMinutes: 30 });
    try {
      // The agent's own decision: a status taken from someone else's Jira text would need approval instead.
      const s = await propose(b, { actionType: 'jira_status_change', payload: { issueKey: 'ABC-123', toStatus: 'In Review' }, rationale: 'A reviewer was assigned.', provenance: { source: 'agent', ref: 'ABC-123', excerpt: '' } });
      expect(s.state).toBe('scheduled');
      const listed = await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) });
      expectOk(listed);
      const held = listed.items.find((i) => i.suggestion.id === s.id)!;
      expect(held.holdLeftMs).toBeGreaterThan(29 * 60_000);
      expect(held.holdLeftMs).toBeLessThanOrEqual(30 * 60_000);
      expect(listed.items.filter((i) => i.suggestion.state !== 'scheduled').every((i) => i.holdLeftMs === null)).toBe(true);

      const stopped = await defs.stop({ payload: { id: s.id }, context: panel(APPROVER) });
      expectOk(stopped);
      expect(stopped.item).toMatchObject({ holdLeftMs: null, suggestion: { state: 'stopped', runAt: null, decision: { kind: 'stopped' } } });
    } finally {
      await changeSettings(b, { autonomyLevel: 'manual' });
    }
  });

  it('a 422 from the backend comes back in words (an action made never-do after it was proposed)', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', '422 check.'));
    await changeSettings(b, { boundaryOverrides: { jira_comment: 'never' } });
    try {
      const error = expectError(await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash }, context: panel(APPROVER) }));
      expect(error.kind).toBe('unprocessable');
      expect(error.message).toBe('The PM agent backend cannot do this: jira_comment is now a never-do action in this installation’s settings, so it cannot be approved.');
      expect(error.detail).toMatch(/HTTP 422/);
    } finally {
      await changeSettings(b, { boundaryOverrides: {} });
    }
  });

  it('a suggestion about another issue cannot be read or decided from this issue’s panel', async () => {
    const { b, defs } = setup;
    const elsewhere = await propose(b, commentProposal('ABC-125', 'Belongs to ABC-125.'));
    const error = expectError(await defs.approve({ payload: { id: elsewhere.id, payloadHash: elsewhere.payloadHash }, context: panel(APPROVER, 'ABC-123') }));
    expect(error).toMatchObject({ kind: 'not_found', message: 'This suggestion is not about ABC-123. Refresh the panel.' });
    expect(expectError(await defs.getSuggestion({ payload: { id: elsewhere.id }, context: panel(APPROVER, 'ABC-123') })).kind).toBe('not_found');
    expect((await b.store.getSuggestion(elsewhere.id))!.state).toBe('pending');
  });

  it('undo from the panel removes the posted comment; a suggestion on another issue cannot be undone from here', async () => {
    const { b, defs } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Panel undo check: posted, then taken back.'));
    expectOk(await defs.approve({ payload: { id: s.id, payloadHash: s.payloadHash }, context: panel(APPROVER) }));
    expect((await settled(b, s.id)).state).toBe('executed');
    expect(comments(b, 'ABC-123')).toContain(s.payload.body);

    const elsewhere = await propose(b, commentProposal('ABC-125', 'Undo from the wrong panel.'));
    expect(expectError(await defs.panelAfter({ payload: { id: elsewhere.id, action: 'undo' }, context: panel(APPROVER, 'ABC-123') })).kind).toBe('not_found');
    const notApprover = expectError(await defs.panelAfter({ payload: { id: s.id, action: 'undo' }, context: panel(VIEWER) }));
    expect(notApprover.kind).toBe('not_approver');

    const res = await defs.panelAfter({ payload: { id: s.id, action: 'undo' }, context: panel(APPROVER) });
    expectOk(res);
    expect(res.item.suggestion.state).toBe('undoing');
    await until('the comment to be gone', () => !comments(b, 'ABC-123').includes(s.payload.body as string));
    expect(expectError(await defs.panelAfter({ payload: { id: s.id, action: 'retry', payloadHash: s.payloadHash, toStatus: 'Done' }, context: panel(APPROVER) })).kind).toBe('conflict');
  });

  it('every payload is checked against its strict schema', async () => {
    const { defs } = setup;
    const bad = expectError(await defs.approve({ payload: { id: 'not-an-id', payloadHash: 'abc' }, context: panel(APPROVER) }));
    expect(bad.kind).toBe('invalid_request');
    expect(bad.issues?.map((i) => i.path)).toEqual(['id', 'payloadHash']);
    expect(expectError(await defs.getIssueSuggestions({ payload: { issueKey: 'ABC-124' }, context: panel(APPROVER) })).issues).toEqual([{ path: '(body)', message: 'unknown field: issueKey' }]);
    expect(expectError(await defs.reject({ payload: { id: 'sug_00000000000000000000', reason: '' }, context: panel(APPROVER) })).kind).toBe('invalid_request');
  });
});

describe('who may call which resolver', () => {
  const anyPayload: Record<ResolverName, unknown> = {
    getIssueSuggestions: {},
    getSuggestion: { id: 'sug_00000000000000000000' },
    approve: { id: 'sug_00000000000000000000', payloadHash: '0'.repeat(64) },
    reject: { id: 'sug_00000000000000000000', reason: 'x' },
    stop: { id: 'sug_00000000000000000000' },
    getAdminConfig: {},
    saveConnection: { endpoint: 'https://example.com', region: 'eu-west-1' },
    testConnection: {},
    getSettings: {},
    saveSettings: { settings: {}, version: 0 },
    getAudit: {},
    getInbox: {},
    decideMany: { decision: 'approve', items: [{ id: 'sug_00000000000000000000', payloadHash: '0'.repeat(64) }] },
    inboxAct: { id: 'sug_00000000000000000000', action: 'dismiss' },
    inboxAfter: { id: 'sug_00000000000000000000', action: 'undo' },
    panelAfter: { id: 'sug_00000000000000000000', action: 'undo' },
  };
  const adminResolvers = RESOLVER_NAMES.filter((n) => ACCESS[n].module === 'adminPage');
  const panelResolvers = RESOLVER_NAMES.filter((n) => ACCESS[n].module === 'issuePanel');

  it('admin resolvers refuse calls from the issue panel, even by a Jira admin', async () => {
    expect(adminResolvers).toEqual(['getAdminConfig', 'saveConnection', 'testConnection', 'getSettings', 'saveSettings', 'getAudit']);
    for (const name of adminResolvers) {
      const error = expectError(await setup.defs[name]({ payload: anyPayload[name], context: panel(ADMIN) }));
      expect([name, error]).toEqual([name, { kind: 'not_allowed', message: 'Only the PM agent admin page can do this.' }]);
    }
  });

  it('admin resolvers refuse people who are not Jira admins, checked with the platform for the verified accountId', async () => {
    const asked: string[] = [];
    const { ports } = await connectedPorts(setup.b);
    const defs = resolverDefinitions({ ...ports, isJiraAdmin: async (id) => (asked.push(id), id === ADMIN) });
    for (const name of adminResolvers) {
      const error = expectError(await defs[name]({ payload: anyPayload[name], context: admin(APPROVER) }));
      expect([name, error]).toEqual([name, { kind: 'not_allowed', message: 'Only Jira admins can see or change the PM agent settings.' }]);
    }
    expect(new Set(asked)).toEqual(new Set([APPROVER]));
    // Nothing was changed by the refused saveConnection.
    const cfg = await defs.getAdminConfig({ payload: {}, context: admin() });
    expectOk(cfg);
    expect(cfg.connection.endpoint).toBe(setup.b.url);
  });

  it('panel resolvers refuse calls from the admin page, and calls without a signed-in user', async () => {
    for (const name of panelResolvers) {
      const error = expectError(await setup.defs[name]({ payload: anyPayload[name], context: admin() }));
      expect([name, error]).toEqual([name, { kind: 'not_allowed', message: 'Only the PM agent issue panel can do this.' }]);
    }
    const { accountId: _, ...anonymous } = panel(APPROVER);
    expect(expectError(await setup.defs.getIssueSuggestions({ payload: {}, context: anonymous }))).toEqual({ kind: 'not_allowed', message: 'Sign in to Jira to use the PM agent panel.' });
    expect(expectError(await setup.defs.getIssueSuggestions({ payload: {}, context: { ...panel(APPROVER), moduleKey: 'someone-elses-module' } })).kind).toBe('not_allowed');
  });
});

describe('the admin resolvers', () => {
  it('save and read settings through the backend, which audits the change', async () => {
    const { b, defs } = setup;
    const before = await defs.getSettings({ payload: {}, context: admin() });
    expectOk(before);
    const next = { ...before.view.settings, autonomyLevel: 'assisted' as const, holdDelayMinutes: 45, approvers: [...before.view.settings.approvers, { name: 'Sam Viewer', jiraAccountId: VIEWER }] };
    const saved = await defs.saveSettings({ payload: { settings: next, version: before.view.version }, context: admin() });
    expectOk(saved);
    expect(saved.view).toMatchObject({ version: before.view.version + 1, settings: next, updatedBy: { principal: 'forge', id: ADMIN } });
    try {
      const audit = await defs.getAudit({ payload: { limit: 5 }, context: admin() });
      expectOk(audit);
      expect(audit.entries.map((e) => e.seq)).toEqual([...audit.entries.map((e) => e.seq)].sort((x, y) => y - x));
      expect(audit.entries.slice(0, 3).map((e) => [e.action, e.actor.id])).toEqual([
        ['approver.added', ADMIN],
        ['autonomy.changed', ADMIN],
        ['settings.updated', ADMIN],
      ]);
      expect(audit.entries[0]!.details).toEqual({ person: { name: 'Sam Viewer', jiraAccountId: VIEWER } });
      expect(audit.more).toBe(false);
      // The viewer was added to the allow-list: the backend now says they may approve.
      const viewer = await defs.getIssueSuggestions({ payload: {}, context: panel(VIEWER) });
      expectOk(viewer);
      expect(viewer.viewer.canApprove).toBe(true);
    } finally {
      expectOk(await defs.saveSettings({ payload: { settings: before.view.settings, version: saved.view.version }, context: admin() }));
    }
  });

  it('a save based on an old version is refused as a conflict carrying the current settings; nothing is overwritten', async () => {
    const { defs } = setup;
    const before = await defs.getSettings({ payload: {}, context: admin() });
    expectOk(before);
    // Another admin saves first.
    const theirs = await defs.saveSettings({ payload: { settings: { ...before.view.settings, holdDelayMinutes: 50 }, version: before.view.version }, context: admin() });
    expectOk(theirs);
    try {
      const error = expectError(await defs.saveSettings({ payload: { settings: { ...before.view.settings, paused: true }, version: before.view.version }, context: admin() }));
      expect(error.kind).toBe('conflict');
      expect(error.message).toMatch(/Someone changed the settings since you loaded this page/);
      expect(error.currentSettings).toEqual(theirs.view);
      expect((await setup.b.store.getSettings()).settings).toEqual(theirs.view.settings);
    } finally {
      expectOk(await defs.saveSettings({ payload: { settings: before.view.settings, version: theirs.view.version }, context: admin() }));
    }
  });

  it('settings the backend refuses come back with the problems in words', async () => {
    const { defs } = setup;
    const before = await defs.getSettings({ payload: {}, context: admin() });
    expectOk(before);
    const loosened = { ...before.view.settings, boundaryOverrides: { delete_data: 'auto' as const } };
    const error = expectError(await defs.saveSettings({ payload: { settings: loosened, version: before.view.version }, context: admin() }));
    expect(error.kind).toBe('invalid_request');
    expect(error.message).toMatch(/delete_data is a never-do action and cannot be unlocked/);
  });

  it('test connection reports each step, and the exact failure in words', async () => {
    const { b, defs } = setup;
    const good = await defs.testConnection({ payload: {}, context: admin() });
    expectOk(good);
    expect(good.checks.map((c) => [c.name, c.ok])).toEqual([
      ['health', true],
      ['signed', true],
    ]);
    expect(good.checks[0]!.detail).toMatch(/^Reachable: .+ 0\.1\.0 \(local\)\.$/);

    const wrongSecret = await connectedPorts(b, { accessKeyId: b.forgeKeys.accessKeyId, secretAccessKey: 'x'.repeat(40) });
    const badKey = await wrongSecret.defs.testConnection({ payload: {}, context: admin() });
    expectOk(badKey);
    expect(badKey.checks.map((c) => c.ok)).toEqual([true, false]);
    // The words come from the shared table; the exact AWS error type stays in the client's detail after them.
    expect(badKey.checks[1]!.detail).toMatch(/did not accept this installation’s key\. .*\(HTTP 403 InvalidSignatureException\)/);

    const agentKeys = await connectedPorts(b, b.files.credentials.principals.agent);
    const wrongPrincipal = await agentKeys.defs.testConnection({ payload: {}, context: admin() });
    expectOk(wrongPrincipal);
    expect(wrongPrincipal.checks[1]).toMatchObject({ ok: false, detail: expect.stringMatching(/AccessDeniedException/) });

    const down = await portsForDeadBackend(b.forgeKeys);
    const unreachable = await down.defs.testConnection({ payload: {}, context: admin() });
    expectOk(unreachable);
    expect(unreachable.checks[0]).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`^Could not reach http://${down.host}/v1/health: ECONNREFUSED\\.`)) });
    expect(unreachable.checks[1]).toMatchObject({ ok: false, detail: expect.stringMatching(new RegExp(`^The PM agent backend at ${down.host} is not answering\\.`)) });
  });

  it('saveConnection validates the endpoint and keeps the key pair write-only', async () => {
    const ports = createMemoryPorts({ admins: [ADMIN], now: () => new Date('2026-11-23T10:00:00Z') });
    const defs = resolverDefinitions(ports);
    const insecure = expectError(await defs.saveConnection({ payload: { endpoint: 'http://backend.example.com', region: 'eu-west-1' }, context: admin() }));
    expect(insecure.issues).toEqual([{ path: 'endpoint', message: 'must use https (plain http is accepted only for 127.0.0.1 or localhost)' }]);
    const half = expectError(await defs.saveConnection({ payload: { endpoint: 'https://backend.example.com', region: 'eu-west-1', accessKeyId: FAKE_KEY_ID }, context: admin() }));
    expect(half.issues?.[0]?.path).toBe('secretAccessKey');
    expect(JSON.stringify(half)).not.toContain(FAKE_KEY_ID);

    const saved = await defs.saveConnection({ payload: { endpoint: 'https://backend.example.com/prod/', region: 'eu-west-1', accessKeyId: FAKE_KEY_ID, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, context: admin() });
    expectOk(saved);
    expect(saved.connection).toEqual({ endpoint: 'https://backend.example.com/prod', region: 'eu-west-1', credentials: { set: true, lastChangedAt: '2026-11-23T10:00:00.000Z' } });
    expect(ports.stored.secrets.get('backend-secret-access-key')).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(JSON.stringify([...ports.stored.config.values()])).not.toContain('wJalrXUtnFEMI');

    // Changing only the endpoint keeps the stored pair and its date.
    const moved = await defs.saveConnection({ payload: { endpoint: 'https://other.example.com', region: 'eu-west-2' }, context: admin() });
    expectOk(moved);
    expect(moved.connection.credentials).toEqual({ set: true, lastChangedAt: '2026-11-23T10:00:00.000Z' });
  });
});

describe('when the backend is missing or down', () => {
  it('an app that was never connected says so, and who can fix it', async () => {
    const defs = resolverDefinitions(createMemoryPorts({ admins: [ADMIN] }));
    const error = expectError(await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) }));
    expect(error.kind).toBe('not_configured');
    expect(error.message).toMatch(/not connected to its backend yet\. A Jira admin can enter the endpoint and key/);
    expect(expectError(await defs.testConnection({ payload: {}, context: admin() })).kind).toBe('not_configured');
    expect(expectError(await defs.getSettings({ payload: {}, context: admin() })).kind).toBe('not_configured');
  });

  it('a backend that does not answer is named, with what to do', async () => {
    const { defs, host } = await portsForDeadBackend(setup.b.forgeKeys);
    const error = expectError(await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe(
      `The PM agent backend at ${host} is not answering. Try again in a minute; if it keeps failing, ask a Jira admin to check the connection on the PM agent admin page (Jira settings → Apps).`,
    );
    expect(error.detail).toMatch(/ECONNREFUSED/);
    const approve = expectError(await defs.approve({ payload: { id: 'sug_00000000000000000000', payloadHash: '0'.repeat(64) }, context: panel(APPROVER) }));
    expect(approve.kind).toBe('unreachable');
  });

  it('a backend that stops mid-session gives the same answer, not a crash', async () => {
    const { startTestBackend } = await import('@pm-agent/backend/test/support/local-backend');
    const b2 = await startTestBackend();
    const { defs } = await connectedPorts(b2);
    expectOk(await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) }));
    await b2.stop();
    const error = expectError(await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toContain(new URL(b2.url).host);
  });
});

describe('failures that are not the backend’s', () => {
  it('a platform error (Forge asking the user for consent) reaches the platform untouched', async () => {
    class ConsentNeeded extends Error {}
    const consent = new ConsentNeeded('NEEDS_AUTHENTICATION_ERR');
    const ports = createMemoryPorts({ admins: [ADMIN] });
    const defs = resolverDefinitions({
      ...ports,
      isJiraAdmin: () => Promise.reject(consent),
      isPlatformError: (e) => e instanceof ConsentNeeded,
    });
    await expect(defs.getAdminConfig({ payload: {}, context: admin() })).rejects.toBe(consent);
  });

  it('anything unexpected is "internal" in words, logged by kind only', async () => {
    const ports = createMemoryPorts({ admins: [ADMIN] });
    const defs = resolverDefinitions({ ...ports, config: { ...ports.config, get: () => Promise.reject(new Error('storage exploded near value hunter2')) } });
    const error = expectError(await defs.getAdminConfig({ payload: {}, context: admin() }));
    expect(error).toEqual({ kind: 'internal', message: 'The PM agent app failed unexpectedly. Try again; if it keeps failing, tell your Jira admin the time it happened.' });
    expect(ports.logs).toEqual(['resolver getAdminConfig: unexpected Error', expect.stringMatching(/^resolver getAdminConfig: internal in \d+ ms$/)]);
  });
});

describe('secrets', () => {
  it('the key pair appears in no answer of any resolver and in no log line', async () => {
    const { b } = setup;
    const { ports, defs } = await connectedPorts(b);
    const { accessKeyId, secretAccessKey } = b.forgeKeys;
    const s: Suggestion = await propose(b, commentProposal('ABC-126', 'Secrets check.'));
    const answers: unknown[] = [];
    const contexts = [panel(APPROVER, 'ABC-126'), panel(VIEWER, 'ABC-126'), admin(), admin(APPROVER)];
    const payloads: Record<ResolverName, unknown> = {
      getIssueSuggestions: {},
      getSuggestion: { id: s.id },
      approve: { id: s.id, payloadHash: '0'.repeat(64) },
      reject: { id: s.id, reason: 'Secrets check' },
      stop: { id: s.id },
      getAdminConfig: {},
      saveConnection: { endpoint: b.url, region: 'local', accessKeyId, secretAccessKey },
      testConnection: {},
      getSettings: {},
      saveSettings: { settings: (await b.store.getSettings()).settings, version: (await b.store.getSettings()).version },
      getAudit: {},
      getInbox: {},
      decideMany: { decision: 'reject', reason: 'Secrets check', items: [{ id: s.id, payloadHash: s.payloadHash }] },
      inboxAct: { id: s.id, action: 'reopen' },
      inboxAfter: { id: s.id, action: 'undo' },
      panelAfter: { id: s.id, action: 'runNow', payloadHash: s.payloadHash },
    };
    for (const context of contexts) {
      for (const name of RESOLVER_NAMES) answers.push(await defs[name]({ payload: payloads[name], context }));
    }
    // And the failures: a wrong secret, then an unreachable backend.
    answers.push(await defs.saveConnection({ payload: { endpoint: b.url, region: 'local', accessKeyId, secretAccessKey: `${secretAccessKey}x` }, context: admin() }));
    answers.push(await defs.testConnection({ payload: {}, context: admin() }));
    answers.push(await defs.getIssueSuggestions({ payload: {}, context: panel(APPROVER) }));

    expect(answers.filter((a) => (a as { ok: boolean }).ok).length).toBeGreaterThan(10);
    const everything = JSON.stringify(answers) + ports.logs.join('\n');
    expect(everything).not.toContain(secretAccessKey);
    expect(everything).not.toContain(accessKeyId);
    expect(ports.logs.length).toBeGreaterThanOrEqual(answers.length);
  });
});


describe('the inbox resolvers', () => {
  const inbox = (accountId: string) => contextFor('inboxPage', accountId);

  it('list what the viewer may see with counts, and decide several at once, bound to what was seen', async () => {
    const { b, defs } = setup;
    const [one, two] = [await propose(b, commentProposal('ABC-127', 'Inbox resolver one.')), await propose(b, commentProposal('ABC-127', 'Inbox resolver two.'))];
    const page = await defs.getInbox({ payload: { issue: 'ABC-127', group: 'waiting' }, context: inbox(APPROVER) });
    expectOk(page);
    expect(page.items.map((i) => i.suggestion.id).sort()).toEqual([one.id, two.id].sort());
    expect(page.counts.waiting).toBe(2);
    expect(page.viewer.canApprove).toBe(true);
    const stale = await payloadHash({ issueKey: 'ABC-127', body: 'an older view' });
    const res = await defs.decideMany({ payload: { decision: 'approve', items: [{ id: one.id, payloadHash: one.payloadHash }, { id: two.id, payloadHash: stale }] }, context: inbox(APPROVER) });
    expectOk(res);
    expect(res.results.map((r) => r.status)).toEqual(['approved', 'changed']);
  });

  it('refuse calls from the issue panel and the admin page, and a non-approver’s bulk decision', async () => {
    const { defs } = setup;
    for (const context of [panel(APPROVER), admin()]) {
      expect(expectError(await defs.getInbox({ payload: {}, context }))).toEqual({ kind: 'not_allowed', message: 'Only the PM agent inbox can do this.' });
    }
    const refused = expectError(await defs.decideMany({ payload: { decision: 'approve', items: [{ id: 'sug_00000000000000000000', payloadHash: '0'.repeat(64) }] }, context: inbox(VIEWER) }));
    expect(refused.kind).toBe('not_approver');
    const tooMany = expectError(await defs.decideMany({ payload: { decision: 'approve', items: Array.from({ length: 51 }, (_, i) => ({ id: `sug_${String(i).padStart(20, '0')}`, payloadHash: '0'.repeat(64) })) }, context: inbox(APPROVER) }));
    expect(tooMany.message).toMatch(/at most 50 suggestions/);
  });
});
