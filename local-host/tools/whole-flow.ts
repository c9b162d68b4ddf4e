import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createBackendClient, staticCredentials } from '@pm-agent/backend-client';
import type { AuditEntry, Suggestion } from '@pm-agent/shared';
import { LOCAL_USER } from '@pm-agent/dev-stack';
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
  /** Step 5: at `delegated`, the facts-only comment on ABC-123 that ran with no human decision. */
  autoComment: Suggestion;
}

const SAMPLE = 'deadline-moves-abc-123';
const SECOND_SAMPLE = 'test-window-moves-abc-123';

/** What an admin does on the admin page, done through the API: raise the autonomy level. */
async function setAutonomy(backend: LocalBackend, level: 'manual' | 'delegated'): Promise<void> {
  const { region, principals } = backend.files.credentials;
  const admin = createBackendClient({ endpoint: backend.url, region, credentials: staticCredentials(principals.forge), identity: { accountId: LOCAL_USER.accountId, site: LOCAL_USER.site, role: 'admin' } });
  const view = await admin.getSettings();
  await admin.updateSettings({ ...view.settings, autonomyLevel: level }, view.version);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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
  // The pane as Outlook shows it at its narrowest: 320 × 600 (issue 14: the first card's buttons in view).
  // No border, so the screenshot is the pane itself at exactly 320 × 600.
  await page.locator('#pane-frame').evaluate((f) => Object.assign((f as HTMLElement).style, { width: '320px', height: '600px', border: '0' }));
  await pane.locator('body').evaluate((b) => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(b.clientWidth)))));
  if (screenshots) await page.locator('#pane-frame').screenshot({ path: join(screenshots, '1-outlook-triage.png') });

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
  await page.getByText('triaged an email').first().waitFor({ timeout: 20_000 });
  await shot('4-jira-admin-audit');
  const auditShownOnAdminPage = (await page.locator('body').textContent()) ?? '';

  const audit = (await stack.backend.store.readAuditChain()).entries;
  const jiraComments = stack.backend.jira!.state.comments('ABC-123').map((c) => adfToText(c.body));

  // 5. At `delegated`, another date move for ABC-123 needs nobody: its comment is composed from the
  //    dates alone (no words from the email), so it runs by itself; the pane labels nothing as quoted.
  await setAutonomy(stack.backend, 'delegated');
  await page.goto(`${stack.hostUrl}/outlook/?email=${SECOND_SAMPLE}`);
  await pane.getByRole('button', { name: 'Triage this email', exact: true }).click();
  await pane.getByTestId('suggestion-jira_comment').waitFor({ timeout: 60_000 });
  const autoComment = await waitFor('the facts-only comment to run by itself', async () => {
    const all = await stack.backend.store.listSuggestions({ issueKey: 'ABC-123' });
    const s = all.find((x) => x.provenance.ref === '<5e2b7c10.window@northwind.example>' && x.actionType === 'jira_comment');
    return s && (s.state === 'executed' || s.state === 'failed') ? s : undefined;
  });
  await page.goto(`${stack.hostUrl}/jira/issue/ABC-123`);
  // It ran by itself, so it is finished: under "History (n)", shown on request.
  await page.getByTestId('history-toggle').click();
  await page.getByTestId(`suggestion-${autoComment.id}`).getByText(/Comment posted on ABC-123/).waitFor({ timeout: 20_000 });
  await shot('5-jira-panel-auto-comment');
  await setAutonomy(stack.backend, 'manual');

  await page.context().close();
  return { suggestion: done!, jiraComments, audit, offHost: guarded.offHost, errors: guarded.errors, dialogs: guarded.dialogs, auditShownOnAdminPage, autoComment };
}
