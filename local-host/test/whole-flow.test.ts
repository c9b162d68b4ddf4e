import type { Browser } from 'playwright-core';
import { payloadTrust } from '@pm-agent/shared';
import { LOCAL_USER, type LocalStoreChoice } from '@pm-agent/dev-stack';
import { jiraModule } from '../src/jira';
import { outlookModule } from '../src/outlook';
import { runWholeFlow, type FlowResult } from '../tools/whole-flow';
import { launchChromium } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

/**
 * Outlook triage → Jira approval → Jira comment → audit trail, in Chromium, across both panels, once
 * on each store: SQLite, and DynamoDB (Amazon's DynamoDB Local on a free loopback port, started with
 * the stack and stopped with it).
 */
jest.setTimeout(180_000);

describe.each<[string, LocalStoreChoice]>([
  ['SQLite', { kind: 'sqlite' }],
  ['DynamoDB Local', { kind: 'dynamodb', port: 0 }],
])('the whole flow on %s', (_name, store) => {
  let stack: TestStack;
  let browser: Browser;
  let flow: FlowResult;

  beforeAll(async () => {
    stack = await startTestStack([jiraModule, outlookModule], { backend: { store } });
    browser = await launchChromium();
    flow = await runWholeFlow(browser, { backend: stack.backend, hostUrl: stack.host.url });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('runs on the store it was given', () => {
    expect(stack.backend.store.describe).toMatch(store.kind === 'sqlite' ? /SQLite/ : /^DynamoDB tables .* at http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('the triaged comment for ABC-123 was approved in Jira and posted once, word for word', () => {
    expect(flow.suggestion).toMatchObject({ actionType: 'jira_comment', issueKey: 'ABC-123', state: 'executed', result: { ok: true } });
    expect(flow.jiraComments).toEqual([flow.suggestion.payload.body]);
  });

  it('the audit trail shows triage, suggestion, approval and execution, each with its actor', () => {
    const id = flow.suggestion.id;
    const triage = flow.audit.find((e) => e.action === 'triage.completed' && (e.details.suggestions as string[]).includes(id));
    expect(triage?.actor).toMatchObject({ principal: 'outlook', id: LOCAL_USER.email });
    const steps = flow.audit.filter((e) => e.subject === id).map((e) => [e.action, e.actor.principal, e.actor.id]);
    expect(steps).toEqual([
      ['suggestion.created', 'agent', 'pm-agent'],
      ['suggestion.approved', 'forge', LOCAL_USER.accountId],
      ['execution.started', 'system', 'backend'],
      ['suggestion.executed', 'system', 'backend'],
    ]);
    // The admin page tells the trail in words (issue 14, item 10).
    for (const words of ['triaged an email', 'proposed “Comment on a Jira issue”', 'approved “Comment on a Jira issue”', 'carried out “Comment on a Jira issue”']) expect(flow.auditShownOnAdminPage).toContain(words);
  });

  it('at delegated, the ordinary email moving ABC-123 gives a facts-only comment that ran with no human decision', () => {
    const c = flow.autoComment;
    expect(c).toMatchObject({ actionType: 'jira_comment', issueKey: 'ABC-123', boundary: 'auto', state: 'executed', decision: null, result: { ok: true } });
    expect(c.payload.body).toBe('Email from northwind.example on 1 Dec: the date for ABC-123 moves from 7 Dec to 14 Dec.');
    expect(payloadTrust(c)).toMatchObject({ origin: 'facts', sensitive: [] });
    expect(c.provenance.excerpt).toContain('integration test window'); // the email's words stay in provenance, for people
  });

  it('nothing left loopback, no script error, no dialog', () => {
    expect({ offHost: flow.offHost, dialogs: flow.dialogs, errors: flow.errors.filter((e) => !/favicon/.test(e)) }).toEqual({ offHost: [], dialogs: [], errors: [] });
  });
});
