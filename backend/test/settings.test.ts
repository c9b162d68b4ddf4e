import { DEFAULT_SETTINGS, type AuditPage, type SettingsView } from '@pm-agent/shared';
import { startTestBackend, type TestBackend } from './support/local-backend';

let b: TestBackend;
beforeAll(async () => (b = await startTestBackend()));
afterAll(() => b.stop());

const put = (settings: unknown, headers: Record<string, string>) =>
  b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(settings) });

describe('settings', () => {
  it('a new installation (no seed) starts at the lowest autonomy with nobody allowed to approve', async () => {
    const fresh = await startTestBackend({ seed: false });
    try {
      const view = (await (await fresh.forge('/v1/settings', { admin: true })).json()) as SettingsView;
      expect(view).toMatchObject({ settings: DEFAULT_SETTINGS, version: 0 });
      expect(view.settings.autonomyLevel).toBe('manual');
    } finally {
      await fresh.stop();
    }
  });

  it('only admin calls from the forge principal may read or change settings', async () => {
    const notAdmin = await b.forge('/v1/settings');
    expect(notAdmin.status).toBe(403);
    expect(((await notAdmin.json()) as { message: string }).message).toMatch(/Only a Jira admin/);
    const agent = await b.call(b.agent, '/v1/settings');
    expect(agent.status).toBe(403);
    expect(agent.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
  });

  it('changing the autonomy level and pausing are audited with who did it', async () => {
    const before = (await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView;
    const res = await put({ ...before.settings, autonomyLevel: 'assisted', paused: true }, { 'if-match': `"${before.version}"` });
    expect(res.status).toBe(200);
    const after = (await res.json()) as SettingsView;
    expect(after).toMatchObject({ version: before.version + 1, settings: { autonomyLevel: 'assisted', paused: true }, updatedBy: { principal: 'forge' } });
    const audit = ((await (await b.forge(`/v1/audit?after=0&limit=500`, { admin: true })).json()) as AuditPage).items;
    const tail = audit.slice(-3).map((e) => [e.action, e.details]);
    expect(tail).toEqual([
      [
        'settings.updated',
        {
          version: after.version,
          changed: ['autonomyLevel', 'paused'],
          before: { autonomyLevel: before.settings.autonomyLevel, paused: before.settings.paused },
          after: { autonomyLevel: 'assisted', paused: true },
        },
      ],
      ['autonomy.changed', { from: before.settings.autonomyLevel, to: 'assisted', raised: true }],
      ['agent.paused', {}],
    ]);
    expect(audit.at(-1)!.actor.id).toMatch(/^712020:/);
  });

  it('If-Match makes the write conditional: a stale version gets 409 with the current settings and changes nothing', async () => {
    const current = (await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView;
    const stale = await put({ ...current.settings, holdDelayMinutes: 5 }, { 'if-match': `"${current.version - 1}"` });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { current: SettingsView }).current).toEqual(current);
    expect(((await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView).settings.holdDelayMinutes).toBe(current.settings.holdDelayMinutes);
    const fresh = await put({ ...current.settings, holdDelayMinutes: 5 }, { 'if-match': `"${current.version}"` });
    expect(fresh.status).toBe(200);
  });

  it('a change without If-Match is refused with 428, and a malformed one with 400; nothing changes', async () => {
    const current = (await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView;
    const bare = await b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...current.settings, autonomyLevel: 'delegated' }) });
    expect(bare.status).toBe(428);
    expect(((await bare.json()) as { message: string }).message).toMatch(/Send If-Match with the settings version you read/);
    expect((await put({ ...current.settings, autonomyLevel: 'delegated' }, { 'if-match': '*' })).status).toBe(400);
    expect(await (await b.forge('/v1/settings', { admin: true })).json()).toEqual(current);
  });

  it('a replayed settings change (the same signed request again) gets 409, not a second write', async () => {
    const current = (await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView;
    const body = JSON.stringify({ ...current.settings, holdDelayMinutes: 45 });
    const first = await put(JSON.parse(body), { 'if-match': `"${current.version}"` });
    expect(first.status).toBe(200);
    await put({ ...current.settings, holdDelayMinutes: 10 }, { 'if-match': `"${current.version + 1}"` }); // someone else, after
    const replay = await put(JSON.parse(body), { 'if-match': `"${current.version}"` });
    expect(replay.status).toBe(409);
    expect(((await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView).settings.holdDelayMinutes).toBe(10);
  });

  it('approvers are people: each one added, changed or removed is its own audit entry naming them; a duplicate is refused in words', async () => {
    const current = (await (await b.forge('/v1/settings', { admin: true })).json()) as SettingsView;
    const kim = { name: 'Kim Wu', jiraAccountId: '712020:kim', email: 'kim@example.com' };
    const added = await put({ ...current.settings, approvers: [...current.settings.approvers, kim] }, { 'if-match': `"${current.version}"` });
    expect(added.status).toBe(200);
    const renamed = await put({ ...current.settings, approvers: [...current.settings.approvers, { ...kim, name: 'Kim Wu-Lee' }] }, { 'if-match': `"${current.version + 1}"` });
    expect(renamed.status).toBe(200);
    const removed = await put(current.settings, { 'if-match': `"${current.version + 2}"` });
    expect(removed.status).toBe(200);
    const audit = ((await (await b.forge(`/v1/audit?after=0&limit=500`, { admin: true })).json()) as AuditPage).items;
    expect(audit.filter((e) => e.action.startsWith('approver.')).slice(-3).map((e) => [e.action, e.details])).toEqual([
      ['approver.added', { person: kim }],
      ['approver.changed', { person: { ...kim, name: 'Kim Wu-Lee' }, was: kim }],
      ['approver.removed', { person: { ...kim, name: 'Kim Wu-Lee' } }],
    ]);

    const twice = await put({ ...current.settings, approvers: [kim, { name: 'Kim again', email: 'KIM@example.com' }] }, { 'if-match': `"${current.version + 3}"` });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { issues: unknown }).issues).toEqual([{ path: 'approvers.1.email', message: 'KIM@example.com is already on Kim Wu’s row' }]);
  });

  it('reads the audit trail in pages with a cursor', async () => {
    const first = (await (await b.forge('/v1/audit?limit=2', { admin: true })).json()) as AuditPage;
    expect(first.items.map((e) => e.seq)).toEqual([1, 2]);
    expect(first.next).toBe(2);
    const second = (await (await b.forge(`/v1/audit?after=${first.next}&limit=2`, { admin: true })).json()) as AuditPage;
    expect(second.items[0]!.seq).toBe(3);
    expect(second.items[0]!.prevHash).toBe(first.items[1]!.hash);
  });
});
