import type { Suggestion } from '@pm-agent/shared';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';
import { until } from './support/until';

/**
 * Creating a Jira ticket is safe to retry. The created issue carries the label
 * pm-agent-<suggestion id>; before creating, the executor looks that label up with JQL
 * (POST /rest/api/3/search/jql, as in Jira Cloud). When Jira's answer is lost, the outcome is
 * "unknown", not "failed", and the retry finds the ticket instead of creating a second.
 */
let b: TestBackend;
beforeAll(async () => (b = await startTestBackend({ stages: true })), 60_000);
afterAll(() => b.stop());
afterEach(() => {
  b.jira!.hooks.beforeRespond = undefined;
});

async function approvedTicket(summary: string): Promise<Suggestion> {
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost({ actionType: 'jira_create_ticket', payload: { projectKey: 'ABC', issueType: 'Task', summary, description: 'From a test.' }, rationale: 'r', provenance: { source: 'agent', ref: 'run', excerpt: '' } }));
  const { suggestion } = (await res.json()) as { suggestion: Suggestion };
  expect((await b.forge(`/v1/suggestions/${suggestion.id}/approve`, jsonPost({ payloadHash: suggestion.payloadHash }))).status).toBe(200);
  return suggestion;
}

const tickets = (id: string) => b.jira!.state.issues().filter((i) => i.labels.includes(`pm-agent-${id}`));
const settled = (id: string) =>
  until(`${id} to settle`, async () => {
    const s = await b.store.getSuggestion(id);
    return s && (s.state === 'executed' || s.state === 'failed') ? s : undefined;
  });
const auditActions = async (id: string) => (await b.store.readAuditChain()).entries.filter((e) => e.subject === id).map((e) => e.action);

/** Drops the connection once, after Jira stored the new issue and before the answer is written. */
function loseCreateAnswer(onLost?: () => void): { lost: () => boolean } {
  let lost = false;
  b.jira!.hooks.beforeRespond = async (req) => {
    if (lost || req.method !== 'POST' || req.path !== '/rest/api/3/issue') return;
    lost = true;
    onLost?.();
    throw new Error('drop the connection');
  };
  return { lost: () => lost };
}

describe('creating a Jira ticket is safe to retry', () => {
  it('the answer is lost after Jira created the issue: exactly one ticket, and the suggestion is executed, not failed', async () => {
    const hook = loseCreateAnswer();
    const s = await approvedTicket('Lost answer ticket');
    const done = await settled(s.id);
    expect(hook.lost()).toBe(true);
    expect(tickets(s.id)).toHaveLength(1);
    expect(done.state).toBe('executed');
    expect(done.result!.summary).toMatch(/already exists for this suggestion/);
    expect(done.result!.link).toContain(`/browse/${tickets(s.id)[0]!.key}`);
    const actions = await auditActions(s.id);
    expect(actions).toContain('execution.outcome_unknown');
    expect(actions).not.toContain('suggestion.failed');
  });

  it('the execute process crashes after Jira created the issue: exactly one ticket after the retry', async () => {
    const hook = loseCreateAnswer(() => b.runner!.kill('execute'));
    const s = await approvedTicket('Crash ticket');
    const done = await settled(s.id);
    expect(hook.lost()).toBe(true);
    expect(tickets(s.id)).toHaveLength(1);
    expect(done.state).toBe('executed');
    expect(await auditActions(s.id)).toContain('execution.interrupted');
  });

  it('a plain create carries the marker label and makes one ticket', async () => {
    const s = await approvedTicket('Plain ticket');
    const done = await settled(s.id);
    expect(done.state).toBe('executed');
    expect(done.result!.summary).toMatch(/^Created ABC-\d+/);
    expect(tickets(s.id)).toHaveLength(1);
  });
});
