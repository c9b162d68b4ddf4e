import type { Browser, Page } from 'playwright-core';
import { ACTION_CATALOGUE, type CreateSuggestionRequest, type Suggestion } from '@pm-agent/shared';
import { adfToText } from '@pm-agent/backend/jira';
import { AGENT_ACTOR } from '@pm-agent/backend/domain';
import { createSuggestion } from '@pm-agent/backend/domain';
import { until } from '@pm-agent/backend/test/support/until';
import { LIVE_REFRESH_MS } from '@pm-agent/forge-app/frontend/live';
import { jiraModule } from '../../src/jira';
import { guardedPage, launchChromium } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

/** The approvals inbox (the app's jira:globalPage) in Chromium, on the local host, against the real local stack. */
let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startTestStack([jiraModule]);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const comments = (key: string) => stack.backend.jira!.state.comments(key).map((c) => adfToText(c.body));

async function propose(req: CreateSuggestionRequest): Promise<Suggestion> {
  const out = await createSuggestion({ store: stack.backend.store, now: () => new Date() }, { principal: 'agent', actor: AGENT_ACTOR, admin: false }, req);
  return (out.body as { suggestion: Suggestion }).suggestion;
}
const comment = (issueKey: string, body: string): CreateSuggestionRequest => ({
  actionType: 'jira_comment',
  payload: { issueKey, body },
  rationale: 'Inbox browser test.',
  provenance: { source: 'jira_issue', ref: issueKey, excerpt: 'x' },
});

const rows = (page: Page) => page.locator('[data-testid^="inbox-row-"]');

async function search(page: Page, fields: { q?: string; issue?: string }) {
  await page.getByPlaceholder('Search text').fill(fields.q ?? '');
  await page.getByPlaceholder('Issue key, or none').fill(fields.issue ?? '');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
}

jest.setTimeout(120_000);

describe('the approvals inbox in Chromium', () => {
  it('shows the seeded suggestions that have no issue key, filters by type, searches and pages', async () => {
    for (let i = 0; i < 23; i += 1) await propose(comment('ABC-125', `Pagecheck note ${i}`));
    const { page, offHost, errors } = await guardedPage(browser);
    await page.goto(`${stack.host.url}/jira/inbox`);
    await page.getByRole('button', { name: /^Waiting for me \(\d+\)$/ }).waitFor();

    await search(page, { issue: 'none' });
    await until('the two seeded suggestions without an issue key', async () => (await rows(page).count()) === 2, 10_000);
    await rows(page).getByText(ACTION_CATALOGUE.milestone_change.label, { exact: true }).waitFor();
    await rows(page).getByText('to dana.lee@northwind.example', { exact: true }).waitFor();

    await page.getByLabel('Action type').selectOption({ label: ACTION_CATALOGUE.milestone_change.label });
    await until('only the milestone change', async () => (await rows(page).count()) === 1, 10_000);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    await search(page, { q: 'pagecheck' });
    await page.getByText('23 suggestions in this view, newest first. Refreshes by itself.').waitFor();
    expect(await rows(page).count()).toBe(20);
    await page.getByText('Pagecheck note 22', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await until('the second page', async () => (await rows(page).count()) === 3, 10_000);
    await page.getByText('Pagecheck note 0', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Previous page' }).click();
    await until('the first page again', async () => (await rows(page).count()) === 20, 10_000);

    // Expanding a row shows the issue panel's full card.
    const first = rows(page).first();
    await first.getByRole('button', { name: 'Expand' }).click();
    await first.getByText('Why the agent suggests this').waitFor();
    expect(offHost).toEqual([]);
    expect(errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('bulk approves 10 where 2 were rejected in another tab: 8 approved, 2 reported changed, exactly 8 new comments; the first tab saw the rejection live; undo one, reopen a rejected one', async () => {
    const before = comments('ABC-125').length;
    const made: Suggestion[] = [];
    for (let i = 0; i < 10; i += 1) made.push(await propose(comment('ABC-125', `Bulkcheck comment ${i}`)));

    const a = await guardedPage(browser);
    await a.page.goto(`${stack.host.url}/jira/inbox`);
    await a.page.getByRole('button', { name: /^Waiting for me/ }).waitFor();
    await search(a.page, { q: 'bulkcheck' });
    await a.page.getByText('10 suggestions in this view, newest first. Refreshes by itself.').waitFor();
    await a.page.getByRole('button', { name: /^Select all waiting in this filter/ }).click();
    await a.page.getByText('10 selected (at most 50)').waitFor();

    // Another tab rejects two of them from their expanded cards.
    const b = await guardedPage(browser);
    await b.page.goto(`${stack.host.url}/jira/inbox`);
    await b.page.getByRole('button', { name: /^Waiting for me/ }).waitFor();
    await search(b.page, { q: 'bulkcheck' });
    for (const s of made.slice(0, 2)) {
      const row = b.page.getByTestId(`inbox-row-${s.id}`);
      await row.getByRole('button', { name: 'Expand' }).click();
      await row.getByRole('button', { name: 'Reject', exact: true }).click();
      await row.getByRole('textbox').fill('Not for this release');
      await row.getByRole('button', { name: 'Reject with this reason' }).click();
      await b.page.getByText(/^1 rejected$/).waitFor();
    }
    const rejectedAt = Date.now();

    // Live refresh: the first tab says what happened, in words, within the stated interval.
    const told = a.page.locator('section', { hasText: 'Changed while you were looking' });
    await told.getByText(/Bulkcheck comment 0/).waitFor({ timeout: LIVE_REFRESH_MS + 5_000 });
    await told.getByText(/Bulkcheck comment 1/).waitFor({ timeout: LIVE_REFRESH_MS + 5_000 });
    // The last rejection shows within one interval (plus a few seconds for a loaded machine).
    expect(Date.now() - rejectedAt).toBeLessThan(LIVE_REFRESH_MS + 5_000);
    expect(await told.getByText(/^rejected this (less than a minute|1 minute) ago: Not for this release$/).count()).toBe(2);
    expect(await told.getByText(/Pat Morgan/).count()).toBe(2);

    await a.page.getByRole('button', { name: 'Approve selected (10)' }).click();
    await a.page.getByText('8 approved, 2 changed since you saw them').waitFor();
    expect(await a.page.getByText(/changed since you saw it, not decided/).count()).toBe(2);

    await until('the 8 comments to be posted', () => comments('ABC-125').length >= before + 8, 30_000);
    const states = await Promise.all(made.map(async (s) => (await stack.backend.store.getSuggestion(s.id))!.state));
    await until('every approved one to have run', async () => (await Promise.all(made.slice(2).map(async (s) => (await stack.backend.store.getSuggestion(s.id))!.state))).every((st) => st === 'executed'), 30_000);
    expect(states.slice(0, 2)).toEqual(['rejected', 'rejected']);
    const posted = comments('ABC-125').slice(before);
    expect(posted.sort()).toEqual(made.slice(2).map((s) => s.payload.body as string).sort());

    // Undo one of the posted comments from its card: the execute stage deletes it from the double.
    const undone = made[2]!;
    await a.page.getByRole('button', { name: /^Done \(\d+\)$/ }).click();
    const doneRow = a.page.getByTestId(`inbox-row-${undone.id}`);
    await doneRow.getByRole('button', { name: 'Expand' }).click();
    await doneRow.getByRole('button', { name: 'Undo', exact: true }).click();
    await until('the undone comment to be gone from the Jira double', () => !comments('ABC-125').includes(undone.payload.body as string), 30_000);
    expect(comments('ABC-125').slice(before).sort()).toEqual(made.slice(3).map((s) => s.payload.body as string).sort());
    await until('the suggestion to be undone', async () => (await stack.backend.store.getSuggestion(undone.id))!.state === 'undone', 10_000);
    // It is listed with the closed ones now, and its card says what happened in words.
    await a.page.getByRole('button', { name: /^Rejected, dismissed, undone, sent back or replaced/ }).click();
    const undoneRow = a.page.getByTestId(`inbox-row-${undone.id}`);
    // Still expanded from the Done view: the card shows the outcome under its "Undone" title.
    await undoneRow.getByText('Undone: the comment was removed from ABC-125.').waitFor();
    expect(await undoneRow.getByText('Undone', { exact: true }).count()).toBeGreaterThanOrEqual(1);

    // Reopen a rejected one, from the rejected list, within the undo window.
    await b.page.getByRole('button', { name: /^Rejected, dismissed, undone, sent back or replaced/ }).click();
    const rejectedRow = b.page.getByTestId(`inbox-row-${made[0]!.id}`);
    // It is still expanded from the rejection in this tab.
    await rejectedRow.getByRole('button', { name: 'Reopen' }).click();
    await until('the rejected one to wait again', async () => (await stack.backend.store.getSuggestion(made[0]!.id))!.state === 'pending', 10_000);
    await b.page.getByRole('button', { name: /^Waiting for me/ }).click();
    await b.page.getByTestId(`inbox-row-${made[0]!.id}`).waitFor();

    expect(a.offHost).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });
});
