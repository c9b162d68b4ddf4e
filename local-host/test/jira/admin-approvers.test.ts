import type { Browser } from 'playwright-core';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { until } from '@pm-agent/backend/test/support/until';
import { jiraModule } from '../../src/jira';
import { LOCAL_JIRA_USERS } from '../../src/jira/users';
import { guardedPage, launchChromium } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Issue 14 item 10, in Chromium: the approvers are one row per person on the real admin page
 * bundle. Adding Riley (a Jira account and an email) and saving lets Riley approve in the issue
 * panel at once; taking the row away takes that back.
 */
jest.setTimeout(120_000);

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startTestStack([jiraModule]);
  browser = await launchChromium();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('approvers on the admin page in Chromium', () => {
  it('the seeded person is one row; a new row says what it needs; once filled in and saved, that person approves in Jira; removed, they no longer do', async () => {
    const { page, offHost, errors, dialogs } = await guardedPage(browser);
    await page.goto(`${stack.host.url}/jira/admin`);
    await page.getByText('Decision boundaries', { exact: true }).first().waitFor();
    const root = page.locator('#forge-root');
    expect(await root.locator('#approver-0-name').inputValue()).toBe(LOCAL_USER.name);
    expect(await root.locator('#approver-0-email').inputValue()).toBe(LOCAL_USER.email);
    expect(await root.locator('select[name="approver-0-jira"] option:checked').textContent()).toBe(LOCAL_JIRA_USERS.pat.name);

    const save = page.getByRole('button', { name: 'Save settings' });
    await page.getByRole('button', { name: 'Add an approver' }).click();
    await page.getByText('Enter the person’s name.').waitFor();
    await page.getByText('Give a Jira account, an email address, or both: with neither, this person cannot approve anywhere.').waitFor();
    expect(await save.isDisabled()).toBe(true);
    expect(await root.locator('#approver-1-name').getAttribute('aria-invalid')).toBe('true');

    await root.locator('select[name="approver-1-jira"]').selectOption(LOCAL_JIRA_USERS.riley.accountId);
    await root.locator('#approver-1-name').fill('Riley Chen');
    await root.locator('#approver-1-email').fill(LOCAL_USER.email.toUpperCase());
    await page.getByText(`${LOCAL_USER.email.toUpperCase()} is already on ${LOCAL_USER.name}’s row.`).waitFor();
    expect(await save.isDisabled()).toBe(true);
    await root.locator('#approver-1-email').fill('riley.chen@example.com');
    await until('Save to be offered', async () => !(await save.isDisabled()), 10_000);
    expect(await root.locator('.forge-error').count()).toBe(0);
    await save.click();
    await page.getByText(/^Settings saved \(version \d+\)\./).waitFor();
    expect((await stack.backend.store.getSettings()).settings.approvers.at(-1)).toEqual({ name: 'Riley Chen', jiraAccountId: LOCAL_JIRA_USERS.riley.accountId, email: 'riley.chen@example.com' });
    await page.getByText('added Riley Chen (Jira + riley.chen@example.com) as approver').waitFor();

    const riley = (await guardedPage(browser)).page;
    await riley.goto(`${stack.host.url}/jira/issue/ABC-123?as=riley`);
    await riley.getByRole('button', { name: 'Approve', exact: true }).first().waitFor();

    await page.getByRole('button', { name: 'Remove Riley Chen' }).click();
    await save.click();
    await page.getByText('removed Riley Chen (Jira + riley.chen@example.com) as approver').waitFor();
    await riley.reload();
    await riley.getByText(/not on the approver list/i).first().waitFor();
    expect(await riley.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);

    expect({ offHost, dialogs, errors: errors.filter((e) => !/favicon/.test(e)) }).toEqual({ offHost: [], dialogs: [], errors: [] });
    await riley.context().close();
    await page.context().close();
  });
});
