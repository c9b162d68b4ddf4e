import { adfToText } from '../src/stages/execute/jira/adf';
import { startJiraDouble, type JiraDouble } from '@pm-agent/dev-stack/jira-double';
import { payloadHash, type AuditEntry, type SettingsView, type Suggestion } from '@pm-agent/shared';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';
import { until } from './support/until';

/** The execute stage as it runs locally: its own process, the outbox, the Jira double. */

const comments = (jira: JiraDouble, key: string) => jira.state.comments(key).map((c) => adfToText(c.body));


async function settled(b: TestBackend, id: string): Promise<Suggestion> {
  return until(`${id} to settle`, async () => {
    const s = await b.store.getSuggestion(id);
    return s && (s.state === 'executed' || s.state === 'failed') ? s : undefined;
  });
}

async function audit(b: TestBackend, subject: string): Promise<AuditEntry[]> {
  return (await b.store.readAuditChain()).entries.filter((e) => e.subject === subject);
}

async function seededComment(b: TestBackend): Promise<Suggestion> {
  return (await b.store.listSuggestions({ issueKey: 'ABC-123' })).find((s) => s.actionType === 'jira_comment')!;
}

async function putSettings(b: TestBackend, change: Partial<SettingsView['settings']>): Promise<void> {
  const { settings, version } = await b.store.getSettings();
  const res = await b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` }, body: JSON.stringify({ ...settings, ...change }) });
  expect(res.status).toBe(200);
}

describe('executing approved actions', () => {
  // Each test has its own backend (its own store, seeded afresh, its own Jira double and clock):
  // no test sees another's suggestions, settings or comments, so any order gives the same results.
  let b: TestBackend;
  let offsetMs: number;
  beforeEach(async () => {
    offsetMs = 0;
    b = await startTestBackend({ stages: true, now: () => new Date(Date.now() + offsetMs) });
  });
  afterEach(() => b.stop());

  it('an approved comment is posted once to Jira, with the result and the audit trail to show it', async () => {
    const s = await seededComment(b);
    const clicks = await Promise.all([1, 2].map(() => b.forge(`/v1/suggestions/${s.id}/approve`, jsonPost({ payloadHash: s.payloadHash }))));
    expect(clicks.map((r) => r.status).sort()).toEqual([200, 409]);
    const done = await settled(b, s.id);
    expect(done.state).toBe('executed');
    expect(done.result).toMatchObject({ ok: true, summary: 'Comment posted on ABC-123.' });
    expect(done.result!.link).toMatch(new RegExp(`^${b.jira!.url}/browse/ABC-123\\?focusedCommentId=\\d+$`));
    expect(comments(b.jira!, 'ABC-123')).toEqual([s.payload.body]);
    expect((await audit(b, s.id)).map((e) => [e.action, e.actor.principal])).toEqual([
      ['suggestion.created', 'agent'],
      ['suggestion.approved', 'forge'],
      ['execution.started', 'system'],
      ['suggestion.executed', 'system'],
    ]);
  });

  it('runs auto actions at once under delegated autonomy, and holds hold-queue actions until their delay passes', async () => {
    await putSettings(b, { autonomyLevel: 'delegated', holdDelayMinutes: 10 });
    const auto = ((await (await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'jira_comment', payload: { issueKey: 'ABC-125', body: 'Auto note' }, rationale: 'r', provenance: { source: 'agent', ref: 'run', excerpt: '' } }))).json()) as { suggestion: Suggestion }).suggestion;
    expect((await settled(b, auto.id)).state).toBe('executed');

    const hold = ((await (await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'jira_status_change', payload: { issueKey: 'ABC-125', toStatus: 'In Progress' }, rationale: 'r', provenance: { source: 'agent', ref: 'run', excerpt: '' } }))).json()) as { suggestion: Suggestion }).suggestion;
    expect(hold.state).toBe('scheduled');
    await b.dispatcher!.kick(); // one full dispatcher pass instead of a sleep: anything runnable has run
    expect((await b.store.getSuggestion(hold.id))!.state).toBe('scheduled');
    expect(b.jira!.state.issue('ABC-125')!.status).toBe('To Do');
    offsetMs = 11 * 60_000;
    expect((await settled(b, hold.id)).state).toBe('executed');
    expect(b.jira!.state.issue('ABC-125')!.status).toBe('In Progress');
  });

  it('pause stops execution, hold timers included, until resumed', async () => {
    await putSettings(b, { paused: true });
    const s = (await b.store.listSuggestions({ state: 'pending' })).find((x) => x.actionType === 'jira_status_change')!;
    expect((await b.forge(`/v1/suggestions/${s.id}/approve`, jsonPost({ payloadHash: s.payloadHash }))).status).toBe(200);
    await b.dispatcher!.kick(); // one full dispatcher pass instead of a sleep: anything runnable has run
    expect((await b.store.getSuggestion(s.id))!.state).toBe('approved');
    await putSettings(b, { paused: false });
    expect((await settled(b, s.id)).state).toBe('executed');
    expect(b.jira!.state.issue('ABC-124')!.status).toBe('In Review');
  });

  it('approving an email hands it to the person: recorded, audited, never run and never failed (issue 14, item 1)', async () => {
    const s = (await b.store.listSuggestions({ state: 'pending' })).find((x) => x.actionType === 'email_external')!;
    const res = await b.forge(`/v1/suggestions/${s.id}/approve`, jsonPost({ payloadHash: s.payloadHash }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { suggestion: Suggestion }).suggestion).toMatchObject({ state: 'handed_over', decision: { kind: 'approved' }, result: null });
    await b.dispatcher!.kick(); // one full dispatcher pass instead of a sleep: a wrongly queued job would have run by now
    expect(await b.store.getSuggestion(s.id)).toMatchObject({ state: 'handed_over', result: null });
    const trail = (await b.store.readAuditChain()).entries.filter((e) => e.subject === s.id).map((e) => e.action);
    expect(trail).toEqual(['suggestion.created', 'suggestion.handed_over']);
  });

  it('a Jira refusal (unknown issue) fails without retrying', async () => {
    const created = ((await (await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'jira_comment', payload: { issueKey: 'ZZZ-1', body: 'x' }, rationale: 'r', provenance: { source: 'agent', ref: 'run', excerpt: '' } }))).json()) as { suggestion: Suggestion }).suggestion;
    await b.forge(`/v1/suggestions/${created.id}/approve`, jsonPost({ payloadHash: created.payloadHash }));
    const done = await settled(b, created.id);
    expect(done.state).toBe('failed');
    expect(done.result!.summary).toMatch(/ZZZ-1/);
    expect((await audit(b, created.id)).filter((e) => e.action === 'execution.retrying')).toHaveLength(0);
  });
});

describe('crash mid-action', () => {
  it('the execute process killed after Jira stored the comment: after restart the comment exists exactly once', async () => {
    const email = 'pm-agent@example.com';
    let b = await startTestBackend({ stages: false });
    const home = b.home;
    const token = b.files.stageSecrets.JIRA_API_TOKEN;
    await b.stop({ keepHome: true });
    const jira = await startJiraDouble({ port: 0, email, apiToken: token });
    try {
      b = await startTestBackend({ home, stages: true, jiraDouble: jira });
      let killed = false;
      jira.hooks.beforeRespond = async (req) => {
        if (killed || req.method !== 'POST' || !req.path.endsWith('/comment')) return;
        killed = true;
        b.runner!.kill('execute'); // the stage dies before it hears Jira's answer
        throw new Error('drop the connection');
      };
      const s = await seededComment(b);
      await b.forge(`/v1/suggestions/${s.id}/approve`, jsonPost({ payloadHash: s.payloadHash }));
      await until('the kill', async () => killed);
      await b.stop({ keepHome: true }); // and the whole backend goes down with it

      b = await startTestBackend({ home, stages: true, jiraDouble: jira });
      const done = await settled(b, s.id);
      expect(done.state).toBe('executed');
      expect(done.result!.summary).toMatch(/already on ABC-123/);
      expect(comments(jira, 'ABC-123')).toEqual([s.payload.body]);
      const actions = (await audit(b, s.id)).map((e) => e.action);
      expect(actions).toContain('execution.interrupted');
      expect(actions.filter((a) => a === 'suggestion.executed')).toHaveLength(1);
      await b.stop();
    } finally {
      await jira.close();
    }
  });
});

describe('the execute stage re-checks for itself', () => {
  it('refuses an approved payload that was changed after approval, and posts nothing', async () => {
    const b = await startTestBackend({ stages: true });
    try {
      await putSettings(b, { paused: true }); // hold execution so the record can be tampered with first
      const s = await seededComment(b);
      await b.forge(`/v1/suggestions/${s.id}/approve`, jsonPost({ payloadHash: s.payloadHash }));
      const cur = (await b.store.getSuggestion(s.id))!;
      await b.store.commit({ writes: [{ kind: 'suggestion', value: { ...cur, payload: { issueKey: 'ABC-123', body: 'Injected text nobody approved' }, version: cur.version + 1 }, expectedVersion: cur.version }] });
      await putSettings(b, { paused: false });
      const done = await settled(b, s.id);
      expect(done.state).toBe('failed');
      expect(done.result!.summary).toMatch(/not the one the approver approved/);
      expect(comments(b.jira!, 'ABC-123')).toEqual([]);
      expect((await audit(b, s.id)).map((e) => e.action)).toContain('execution.refused');
      expect(await payloadHash(done.payload)).not.toBe(done.decision!.payloadHash);
    } finally {
      await b.stop();
    }
  });
});
