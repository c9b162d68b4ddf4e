import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { EmailInput } from '@pm-agent/shared';
import { FIXTURES_DIR } from '../../src/outlook/emails';
import { outlookModule } from '../../src/outlook';
import { jiraModule } from '../../src/jira';
import { guardedPage } from '../support/browser';
import { launchChromium } from '../support/browser';
import { startHungStack, type HungStack } from '../support/hung-backend';
import { PaneDriver, postEmail } from '../outlook/pane-driver';
import { until } from '@pm-agent/backend/test/support/until';

/**
 * Issue 14 item 6: a backend that accepts the connection and never answers. The person gets one
 * bounded wait with a Cancel button, then a message in words with Try again, which works once the
 * backend answers. The backend is real; a 127.0.0.1 front in test support holds chosen requests.
 */
jest.setTimeout(120_000);

let stack: HungStack;
let browser: Browser;
let driver: PaneDriver | undefined;

beforeAll(async () => {
  stack = await startHungStack([outlookModule, jiraModule]);
  browser = await launchChromium();
});
afterEach(async () => {
  stack.front.hang = () => false;
  stack.front.release();
  await driver?.close();
  driver = undefined;
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const DEADLINE = JSON.parse(readFileSync(join(FIXTURES_DIR, 'ordinary', 'deadline-moves-abc-123.json'), 'utf8')) as EmailInput;
const outlookStack = () => ({ backend: stack.backend, host: stack.host, paneHostUrl: `${stack.host.url}/outlook/`, close: async () => undefined });
let serial = 0;
async function openFresh(): Promise<PaneDriver> {
  const email = { ...DEADLINE, internetMessageId: `<hung-${++serial}-${Date.now()}@northwind.example>` };
  return PaneDriver.open(browser, outlookStack(), await postEmail(outlookStack(), email));
}
/** The main message may not carry codes, ids, option names or durations in ms. */
const inWords = (text: string) => expect(text).not.toMatch(/\b[1-5]\d\d\b|timeoutMs|\d+\s*ms\b|arn:|requestId|x-amzn/i);

const STOPPED_LOADING = 'The page stopped waiting for the PM agent. Press Try again to load it again.';
type Hang = HungStack['front']['hang'];

/**
 * A Jira page whose load `hang` holds (a request starting with `held`, as the front records it):
 * it says what it is loading (`loading`, when given); Cancel stops waiting at once and says so in
 * words; Try again loads once the backend answers (`loaded` appears).
 */
async function cancelLoadThenRetry(page: Page, path: string, hang: Hang, held: string, loaded: Locator, loading?: string): Promise<void> {
  const before = stack.front.held.length;
  stack.front.hang = hang;
  await page.goto(`${stack.host.url}${path}`);
  if (loading) await page.getByText(loading).waitFor();
  await until(`${held}… to be held`, () => stack.front.held.slice(before).some((r) => r.startsWith(held)), 20_000);
  await page.getByTestId('cancel-wait').click();
  const words = page.getByText(STOPPED_LOADING);
  await words.waitFor();
  inWords((await words.textContent()) ?? '');
  stack.front.hang = () => false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await loaded.waitFor({ timeout: 30_000 });
}

describe('the Outlook pane against a backend that never answers', () => {
  test('triage: Cancel while waiting says so in words; Try again triages once the backend answers', async () => {
    driver = await openFresh();
    stack.front.hang = (method, path) => method === 'POST' && path.startsWith('/v1/triage');
    await driver.button('Triage this email').click();
    await driver.pane.getByTestId('cancel-triage').waitFor();
    await until('the triage request to be held', () => stack.front.held.includes('POST /v1/triage'), 20_000);
    await driver.pane.getByTestId('cancel-triage').click();
    const error = driver.pane.getByTestId('error');
    await error.waitFor();
    const words = (await error.locator('h2').textContent()) + ' ' + (await error.locator('p').first().textContent());
    expect(words).toMatch(/^You stopped waiting for the triage Nothing was changed\. Press Try again/);
    inWords(words);

    stack.front.hang = () => false;
    await driver.button('Try again').click();
    await driver.pane.getByTestId('result').waitFor({ timeout: 60_000 });
    expect(await driver.pane.getByTestId('category').textContent()).toBe('A date, deadline or milestone moves');
  });

  test('a decision: Cancel while waiting, then Try again records it once the backend answers', async () => {
    driver = await openFresh();
    await driver.triage();
    const card = driver.suggestion('jira_comment');
    stack.front.hang = (method, path) => method === 'POST' && /\/approve$/.test(path);
    await driver.button('Approve', card).click();
    await card.getByTestId('cancel-decision').waitFor();
    await until('the approval to be held', () => stack.front.held.some((r) => r.endsWith('/approve')), 20_000);
    await card.getByTestId('cancel-decision').click();
    const problem = card.getByTestId('card-problem');
    await problem.waitFor();
    const words = (await problem.textContent()) ?? '';
    expect(words).toMatch(/^You stopped waiting\. Your decision may or may not have reached the PM agent service/);
    inWords(words);
    expect(stack.front.held.filter((r) => r.endsWith('/approve'))).toHaveLength(1);

    stack.front.hang = () => false;
    await driver.button('Try again', card).click();
    await card.getByTestId('decision').waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('decision').textContent()).toMatch(/^Approved by /);
    const approved = (await stack.backend.store.listSuggestions({})).filter((s) => s.actionType === 'jira_comment' && s.decision?.kind === 'approved' && s.provenance.ref?.startsWith('<hung-'));
    expect(approved).toHaveLength(1);
  });
});

describe('the Jira issue panel against a backend that never answers', () => {
  const listing = (method: string, path: string) => method === 'GET' && path.startsWith('/v1/suggestions?');

  test('loading: the resolver gives up after its bounded wait and says so in words; Try again loads once the backend answers', async () => {
    const { page } = await guardedPage(browser);
    try {
      stack.front.hang = listing;
      await page.goto(`${stack.host.url}/jira/issue/ABC-123`);
      await page.getByTestId('cancel-wait').waitFor();
      const message = page.getByText(/did not answer in time/);
      await message.waitFor({ timeout: 30_000 });
      const words = (await message.textContent()) ?? '';
      expect(words).toMatch(/^The PM agent backend at 127\.0\.0\.1:\d+ did not answer in time\. Try again in a minute/);
      inWords(words.replace(/127\.0\.0\.1:\d+/, 'HOST'));
      stack.front.hang = () => false;
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByRole('button', { name: 'Refresh' }).waitFor({ timeout: 30_000 });
    } finally {
      await page.context().close();
    }
  });

  test('loading: Cancel stops waiting at once, says so in words, and Try again loads once the backend answers', async () => {
    const { page } = await guardedPage(browser);
    try {
      await cancelLoadThenRetry(page, '/jira/issue/ABC-123', listing, 'GET /v1/suggestions?', page.getByRole('button', { name: 'Refresh' }));
    } finally {
      await page.context().close();
    }
  });
  test('a decision: Cancel while the resolver waits stops waiting at once and says so in words', async () => {
    const { page } = await guardedPage(browser);
    try {
      await page.goto(`${stack.host.url}/jira/issue/ABC-123`);
      const approve = page.getByRole('button', { name: 'Approve', exact: true }).first();
      await approve.waitFor();
      stack.front.hang = (method, path) => method === 'POST' && /\/approve$/.test(path);
      await approve.click();
      await page.getByTestId('cancel-decision').click();
      const words = page.getByText(/^The page stopped waiting\. Your decision may or may not have reached the PM agent/);
      await words.waitFor();
      inWords((await words.textContent()) ?? '');
      expect(await page.getByTestId('cancel-decision').count()).toBe(0);
    } finally {
      await page.context().close();
    }
  });
});

describe('the approvals inbox against a backend that never answers', () => {
  test('loading: Cancel stops waiting at once, says so in words, and Try again loads once the backend answers', async () => {
    const { page } = await guardedPage(browser);
    try {
      const inbox = (method: string, path: string) => method === 'GET' && path.startsWith('/v1/inbox');
      await cancelLoadThenRetry(page, '/jira/inbox', inbox, 'GET /v1/inbox', page.getByRole('button', { name: /^Waiting for me \(\d+\)$/ }), 'Loading the inbox…');
    } finally {
      await page.context().close();
    }
  });

  test('a bulk decision: Cancel while waiting stops at once, says what may have happened, and the buttons come back', async () => {
    const { page } = await guardedPage(browser);
    try {
      await page.goto(`${stack.host.url}/jira/inbox`);
      await page.getByRole('button', { name: /^Waiting for me \(\d+\)$/ }).waitFor();
      await page.getByRole('checkbox', { name: /^Select / }).first().check();
      const approve = page.getByRole('button', { name: 'Approve selected (1)' });
      stack.front.hang = (method, path) => method === 'POST' && path === '/v1/decisions';
      await approve.click();
      await page.getByTestId('cancel-decision').waitFor();
      await until('the decisions request to be held', () => stack.front.held.includes('POST /v1/decisions'), 20_000);
      expect(await approve.isDisabled()).toBe(true);
      await page.getByTestId('cancel-decision').click();
      const words = page.getByText(/^The page stopped waiting\. Your decision may or may not have reached the PM agent/);
      await words.waitFor();
      inWords((await words.textContent()) ?? '');
      expect(await page.getByTestId('cancel-decision').count()).toBe(0);
      expect(await approve.isEnabled()).toBe(true);
    } finally {
      await page.context().close();
    }
  });
});

describe('the admin page against a backend that never answers', () => {
  /** Opens the admin page and confirms "Pause the agent now" while the backend holds the requests `hang` names. */
  async function pauseHolding(page: Page, hang: Hang): Promise<void> {
    await page.goto(`${stack.host.url}/jira/admin`);
    await page.getByRole('button', { name: 'Pause the agent now' }).click();
    stack.front.hang = hang;
    await page.getByRole('button', { name: 'Yes, pause now' }).click();
  }

  test('loading the settings: Cancel stops waiting at once, says so in words, and Try again loads once the backend answers', async () => {
    const { page } = await guardedPage(browser);
    try {
      const settings = (method: string, path: string) => method === 'GET' && path === '/v1/settings';
      await cancelLoadThenRetry(page, '/jira/admin', settings, 'GET /v1/settings', page.getByRole('button', { name: 'Save settings' }), 'Loading the agent’s settings…');
    } finally {
      await page.context().close();
    }
  });

  test('the pause switch: Cancel while waiting stops at once, says the change may or may not be saved, and the buttons come back', async () => {
    const { page } = await guardedPage(browser);
    try {
      await pauseHolding(page, (method, path) => method === 'PUT' && path === '/v1/settings');
      await until('the settings change to be held', () => stack.front.held.includes('PUT /v1/settings'), 20_000);
      expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
      await page.getByTestId('cancel-change').click();
      const words = page.getByText(/^The page stopped waiting\. Your change may or may not have been saved/);
      await words.waitFor();
      inWords((await words.textContent()) ?? '');
      expect(await page.getByTestId('cancel-change').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Pause the agent now' }).isEnabled()).toBe(true);
      // The resolver's own bounded wait runs on and tries once more; held too, so the pause never lands
      // and the tests after this one start with the agent running (afterEach ends both unanswered).
      await until("the resolver's retry to be held", () => stack.front.held.filter((r) => r === 'PUT /v1/settings').length >= 2, 30_000);
    } finally {
      await page.context().close();
    }
  });

  test('a save whose answer came: the page stops waiting at once, even while the audit trail refresh after it is held', async () => {
    const { page } = await guardedPage(browser);
    try {
      await pauseHolding(page, (method, path) => method === 'GET' && path.startsWith('/v1/audit'));
      await page.getByText(/^Paused\. Nothing runs/).waitFor();
      await until('the audit refresh to be held', () => stack.front.held.some((h) => h.startsWith('GET /v1/audit')), 20_000);
      await page.getByRole('button', { name: 'Resume the agent' }).waitFor();
      expect(await page.getByRole('button', { name: 'Resume the agent' }).isEnabled()).toBe(true);
      expect(await page.getByTestId('cancel-change').count()).toBe(0);
    } finally {
      stack.front.hang = () => false;
      stack.front.release();
      // Resume, so later runs against this stack start with the agent running.
      await page.getByRole('button', { name: 'Resume the agent' }).click();
      await page.getByRole('button', { name: 'Yes, resume now' }).click();
      await page.getByText(/^Resumed\./).waitFor();
      await page.context().close();
    }
  });

  test('settings still loading when the connection is saved: the new load waits with its own Cancel; nobody is told they stopped waiting', async () => {
    const { page } = await guardedPage(browser);
    try {
      stack.front.hang = (method, path) => method === 'GET' && path === '/v1/settings';
      await page.goto(`${stack.host.url}/jira/admin`);
      await page.getByText('Loading the agent’s settings…').waitFor();
      await page.getByRole('button', { name: 'Save connection' }).click();
      await page.getByText('Connection saved. Use Test connection to check it.').waitFor();
      await until('the second settings load to be held', () => stack.front.held.filter((h) => h === 'GET /v1/settings').length >= 2, 20_000);
      await page.getByText('Loading the agent’s settings…').waitFor();
      const stopped = page.getByText(STOPPED_LOADING);
      expect(await stopped.count()).toBe(0);
      await page.getByTestId('cancel-wait').click();
      await stopped.waitFor();
      expect(await stopped.count()).toBe(1);
    } finally {
      await page.context().close();
    }
  });
});
