import type { Browser } from 'playwright-core';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { jiraModule } from '../src/jira';
import { outlookModule } from '../src/outlook';
import { runWholeFlow, type FlowResult } from '../tools/whole-flow';
import { launchChromium } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

/** Outlook triage → Jira approval → Jira comment → audit trail, in Chromium, across both panels. */
jest.setTimeout(120_000);
let stack: TestStack;
let browser: Browser;
let flow: FlowResult;

beforeAll(async () => {
  stack = await startTestStack([jiraModule, outlookModule]);
  browser = await launchChromium();
  flow = await runWholeFlow(browser, { backend: stack.backend, hostUrl: stack.host.url });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
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
  for (const action of ['triage.completed', 'suggestion.created', 'suggestion.approved', 'suggestion.executed']) expect(flow.auditShownOnAdminPage).toContain(action);
});

it('nothing left loopback, no script error, no dialog', () => {
  expect({ offHost: flow.offHost, dialogs: flow.dialogs, errors: flow.errors.filter((e) => !/favicon/.test(e)) }).toEqual({ offHost: [], dialogs: [], errors: [] });
});
