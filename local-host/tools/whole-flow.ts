import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { AuditEntry, Suggestion } from '@pm-agent/shared';
import { adfToText } from '@pm-agent/backend/jira';
import type { LocalBackend } from '@pm-agent/dev-stack';
import { guardedPage } from '../test/support/browser';

/**
 * The whole flow across both panels, as a person does it, in Chromium on the local host:
 * triage the sample email that moves a deadline in the Outlook pane → a jira_comment suggestion for
 * ABC-123 → the Jira issue panel for ABC-123 shows it → approve → the Jira double has the comment →
 * the admin page's audit trail shows triage, suggestion, approval and execution with their actors.
 * Used by the whole-flow test (which asserts what it returns) and by `npm run walkthrough`
 * (which keeps the screenshots for the README).
 */
export interface FlowResult {
  suggestion: Suggestion;
  jiraComments: string[];
  audit: AuditEntry[];
  offHost: string[];
  errors: string[];
  dialogs: string[];
  auditShownOnAdminPage: string;
}

const SAMPLE = 'deadline-moves-abc-123';

export async function runWholeFlow(browser: Browser, stack: { backend: LocalBackend; hostUrl: string }, screenshots?: string): Promise<FlowResult> {
  const guarded = await guardedPage(browser);
  const { page } = guarded;
  const shot = async (name: string) => screenshots && page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 1300, height: 900 });

  // 1. Outlook: open the sample email and triage it.
  await page.goto(`${stack.hostUrl}/outlook/?email=${SAMPLE}`);
  const pane = page.frameLocator('#pane-frame');
  await pane.getByRole('button', { name: 'Triage this email', exact: true }).click();
  await pane.getByTestId('result').waitFor({ timeout: 60_000 });
  await pane.getByTestId('suggestion-jira_comment').waitFor();
  await shot('1-outlook-triage');

  const triaged = (await stack.backend.store.listSuggestions({ issueKey: 'ABC-123', state: 'pending' })).find((s) => s.provenance.source === 'email' && s.createdBy.name?.includes('triage'));
  if (!triaged) throw new Error('the triage made no pending jira_comment suggestion for ABC-123');

  // 2. Jira: the issue panel for ABC-123 shows the suggestion; approve it.
  await page.goto(`${stack.hostUrl}/jira/issue/ABC-123`);
  const card = page.getByTestId(`suggestion-${triaged.id}`);
  await card.getByText((triaged.payload.body as string).split('\n')[0]!.slice(0, 80)).waitFor({ timeout: 20_000 });
  await shot('2-jira-panel-before');
  await card.getByRole('button', { name: 'Approve', exact: true }).click();

  // 3. The execute stage posts it; the panel shows the result once it has run.
  const deadline = Date.now() + 30_000;
  let done: Suggestion | null = null;
  while (Date.now() < deadline) {
    done = await stack.backend.store.getSuggestion(triaged.id);
    if (done && (done.state === 'executed' || done.state === 'failed')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await card.getByText(/Comment posted on ABC-123/).waitFor({ timeout: 20_000 });
  await shot('3-jira-panel-after');

  // 4. The admin page: recent audit entries.
  await page.goto(`${stack.hostUrl}/jira/admin`);
  await page.getByText('triage.completed').first().waitFor({ timeout: 20_000 });
  await shot('4-jira-admin-audit');
  const auditShownOnAdminPage = (await page.locator('body').textContent()) ?? '';

  const audit = (await stack.backend.store.readAuditChain()).entries;
  const jiraComments = stack.backend.jira!.state.comments('ABC-123').map((c) => adfToText(c.body));
  await page.context().close();
  return { suggestion: done!, jiraComments, audit, offHost: guarded.offHost, errors: guarded.errors, dialogs: guarded.dialogs, auditShownOnAdminPage };
}
