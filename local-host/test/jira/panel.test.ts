import type { Browser } from 'playwright-core';
import { adfToText } from '@pm-agent/backend/jira';
import { jiraModule } from '../../src/jira';
import { guardedPage, launchChromium } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';
import { until } from '@pm-agent/backend/test/support/until';

/** The real issue panel bundle in Chromium, on the local host, against the real local stack. */
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


async function seededComment() {
  return (await stack.backend.store.listSuggestions({ issueKey: 'ABC-123' })).find((s) => s.actionType === 'jira_comment')!;
}

describe('the Jira issue panel in Chromium', () => {
  it('opens ABC-123, approves the seeded comment suggestion with two quick clicks, and the Jira double has the comment once', async () => {
    const { page, offHost, errors, dialogs } = await guardedPage(browser);
    const s = await seededComment();
    await page.goto(`${stack.host.url}/jira/issue/ABC-123`);
    await page.getByText(s.payload.body as string).waitFor();
    const approve = page.getByRole('button', { name: 'Approve', exact: true }).first();
    await approve.click();
    await approve.click({ force: true, timeout: 2_000 }).catch(() => undefined); // a second click, if the button is still there
    await until('the comment to be posted', () => comments('ABC-123').length > 0, 20_000);
    await page.getByText(/Comment posted on ABC-123/).waitFor({ timeout: 20_000 }).catch(async () => {
      await page.getByRole('button', { name: /Refresh/ }).click();
      await page.getByText(/Comment posted on ABC-123/).waitFor({ timeout: 10_000 });
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(comments('ABC-123')).toEqual([s.payload.body]);
    expect(offHost).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
    await page.context().close();
  });

  it('shows a non-approver the suggestions without a way to approve', async () => {
    const created = await stack.backend.store.listSuggestions({ issueKey: 'ABC-124' });
    expect(created.length).toBeGreaterThan(0);
    const { page } = await guardedPage(browser);
    await page.goto(`${stack.host.url}/jira/issue/ABC-124?as=riley`);
    await page.getByText(/not on the approver list/i).first().waitFor();
    expect(await page.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    await page.context().close();
  });
});
