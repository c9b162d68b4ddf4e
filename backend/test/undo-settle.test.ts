import type { Suggestion } from '@pm-agent/shared';
import { ExecutionDispatcher } from '../src/api/execute/dispatcher';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';

/**
 * How the dispatcher settles an undo the execute stage could not do (a refusal Jira would give,
 * such as no permission to delete): no stage processes here, the stage's answer is given.
 */
let b: TestBackend;
beforeAll(async () => (b = await startTestBackend({ stages: false })));
afterAll(() => b.stop());

it('a failed undo leaves the action done, with its link and time, and says why the undo failed; audited', async () => {
  const created = await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'jira_comment', payload: { issueKey: 'ABC-126', body: 'Stays posted' }, rationale: 'r', provenance: { source: 'agent', ref: 'run', excerpt: '' } }));
  const s = ((await created.json()) as { suggestion: Suggestion }).suggestion;
  const at = new Date().toISOString();
  const executed: Suggestion = { ...s, state: 'executed', result: { ok: true, summary: 'Comment posted on ABC-126.', link: 'http://127.0.0.1:1/browse/ABC-126?focusedCommentId=1', at }, version: s.version + 1 };
  await b.store.commit({
    writes: [
      { kind: 'suggestion', value: executed, expectedVersion: s.version },
      { kind: 'outbox', value: { suggestionId: s.id, state: 'done', attempts: 0, claimedAt: at, lastError: null }, expected: null },
    ],
  });
  expect((await b.forge(`/v1/suggestions/${s.id}/undo`, jsonPost({}))).status).toBe(200);

  const refusal = 'Jira refused to delete comment 1 on ABC-126 (HTTP 403): you do not have permission.';
  const jobs: string[] = [];
  const dispatcher = new ExecutionDispatcher({ store: b.store, now: () => new Date(), execute: async (job) => (jobs.push(job.suggestion.state), { outcome: 'failed', retryable: false, summary: refusal }) });
  await dispatcher.dispatch(s.id);
  expect(jobs).toEqual(['undoing']);
  expect(await b.store.getSuggestion(s.id)).toMatchObject({ state: 'executed', result: { ok: true, summary: `Could not undo: ${refusal}`, link: executed.result!.link, at } });
  expect(await b.store.getOutbox(s.id)).toMatchObject({ state: 'done' });
  const trail = (await b.store.readAuditChain()).entries.filter((e) => e.subject === s.id).map((e) => e.action);
  expect(trail.slice(-2)).toEqual(['suggestion.undo_requested', 'undo.failed']);
});
