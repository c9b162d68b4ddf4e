import type { Suggestion } from '@pm-agent/shared';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';

/** Pausing the agent stops hold timers: on resume, runAt moves later by the length of the pause. */
let b: TestBackend;
let offset = 0;
beforeAll(async () => (b = await startTestBackend({ now: () => new Date(Date.now() + offset) })));
afterAll(() => b.stop());

async function setSettings(change: Record<string, unknown>): Promise<void> {
  const { settings, version } = await b.store.getSettings();
  // Sign with the backend's (shifted) clock, as a client whose clock is right would.
  const datetime = new Date(Date.now() + offset).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const init = { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` }, body: JSON.stringify({ ...settings, ...change }), aws: { datetime } };
  const res = await b.forge('/v1/settings', init as Parameters<TestBackend['forge']>[1]);
  expect(res.status).toBe(200);
}

it('moves every scheduled runAt by the pause, and audits each move', async () => {
  await setSettings({ autonomyLevel: 'delegated', holdDelayMinutes: 30 });
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'jira_status_change', payload: { issueKey: 'ABC-124', toStatus: 'In Review' }, rationale: 'weekly', provenance: { source: 'agent', ref: 'run', excerpt: '' } }));
  const { suggestion } = (await res.json()) as { suggestion: Suggestion };
  expect(suggestion.state).toBe('scheduled');

  await setSettings({ paused: true });
  offset = 20 * 60_000; // paused for 20 minutes
  await setSettings({ paused: false });

  const after = (await b.store.getSuggestion(suggestion.id))!;
  const moved = Date.parse(after.runAt!) - Date.parse(suggestion.runAt!);
  expect(moved).toBeGreaterThanOrEqual(20 * 60_000);
  expect(moved).toBeLessThan(21 * 60_000);
  const audit = (await b.store.readAuditChain()).entries.filter((e) => e.subject === suggestion.id).map((e) => e.action);
  expect(audit).toEqual(['suggestion.created', 'hold.rescheduled']);
});

it('at delegated, a stakeholder email waits for the person instead of being held to run and fail (issue 14, item 1)', async () => {
  offset = 0; // the agent signs with the real clock
  await setSettings({ autonomyLevel: 'delegated', holdDelayMinutes: 30 });
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'email_stakeholder', payload: { to: ['sam@example.com'], subject: 'Status', body: 'On track.' }, rationale: 'weekly', provenance: { source: 'agent', ref: 'run', excerpt: '' } }));
  const { suggestion } = (await res.json()) as { suggestion: Suggestion };
  expect(suggestion).toMatchObject({ state: 'pending', boundary: 'approval', runAt: null });
});
