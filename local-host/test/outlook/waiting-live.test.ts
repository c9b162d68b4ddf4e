import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import type { EmailInput, Suggestion } from '@pm-agent/shared';
import { AGENT_ACTOR } from '@pm-agent/backend/domain';
import { createSuggestion } from '@pm-agent/backend/domain';
import { outlookClient } from '@pm-agent/backend/test/support/outlook';
import { until } from '@pm-agent/backend/test/support/until';
import { FIXTURES_DIR } from '../../src/outlook/emails';
import { startOutlookStack, type OutlookStack } from '../../src/outlook/stack';
import { launchChromium } from '../support/browser';
import { PaneDriver, postEmail } from './pane-driver';

/**
 * The pane's "Waiting for you" view and its live refresh, in Chromium on the local host against
 * the real stack. The host shortens the poll interval (production: LIVE_REFRESH_MS, 10 s).
 */
const INTERVAL_MS = 400;
/** One interval, plus room for a loaded machine (two shared cores) to draw it. */
const WITHIN_MS = INTERVAL_MS + 5_000;
jest.setTimeout(120_000);

let stack: OutlookStack;
let browser: Browser;
let driver: PaneDriver | undefined;
beforeAll(async () => {
  stack = await startOutlookStack({ liveRefreshMs: INTERVAL_MS });
  browser = await launchChromium();
});
afterEach(async () => {
  if (driver) {
    expect({ offHost: driver.guarded.offHost, errors: driver.guarded.errors, dialogs: driver.guarded.dialogs }).toEqual({ offHost: [], errors: [], dialogs: [] });
    await driver.close();
    driver = undefined;
  }
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const DEADLINE = JSON.parse(readFileSync(join(FIXTURES_DIR, 'ordinary', 'deadline-moves-abc-123.json'), 'utf8')) as EmailInput;
let serial = 0;
async function freshDeadline(): Promise<{ id: string; email: EmailInput }> {
  const email = { ...DEADLINE, internetMessageId: `<waiting-${++serial}-${Date.now()}@northwind.example>` };
  return { id: await postEmail(stack, email), email };
}
async function suggestionFor(email: EmailInput, actionType: Suggestion['actionType']): Promise<Suggestion> {
  const found = (await stack.backend.store.listSuggestions({})).find((s) => s.provenance.ref === email.internetMessageId && s.actionType === actionType);
  if (!found) throw new Error(`no ${actionType} suggestion for ${email.internetMessageId}`);
  return found;
}

describe('"Waiting for you" in the pane', () => {
  test('lists the caller’s pending reply after its email is closed, and not another mailbox’s', async () => {
    const { id, email } = await freshDeadline();
    const others = await createSuggestion({ store: stack.backend.store, now: () => new Date() }, { principal: 'agent', actor: AGENT_ACTOR, admin: false }, {
      actionType: 'email_external',
      payload: { to: ['dana.lee@northwind.example'], subject: 'Re: Sandbox', body: 'Othermailbox reply that Pat must never see' },
      rationale: 'Another mailbox.',
      mailbox: 'sam.okafor@example.com',
      provenance: { source: 'email', ref: '<other-mailbox@northwind.example>', title: 'Sam’s thread', excerpt: 'x' },
    });
    expect(others.status).toBe(201);

    driver = await PaneDriver.open(browser, stack, id);
    await driver.triage();
    const reply = await suggestionFor(email, 'email_external');
    await driver.select(null); // the email is closed: ItemChanged with no item

    await driver.button('Waiting for you').click();
    const list = driver.pane.getByTestId('waiting');
    await list.getByRole('heading', { name: 'Waiting for you' }).waitFor();
    const card = list.getByTestId('suggestion-email_external').filter({ hasText: (reply.payload.body as string).slice(0, 40) });
    await card.waitFor();
    // A reply goes out from its own email: the card says which one to open, and offers no button to send it from here.
    await card.getByTestId('open-email-hint').getByText(/open the email “.+” in Outlook/).waitFor();
    expect(await driver.button('Open as reply', card).count()).toBe(0);
    expect(await list.getByText('Othermailbox reply that Pat must never see').count()).toBe(0);
    // Focus went to the list's heading, which a screen reader reads out; axe finds nothing to fix.
    expect(await driver.frame().evaluate(() => document.activeElement?.id)).toBe('waiting-heading');
    expect((await new AxeBuilder({ page: driver.page }).include('#pane-frame').analyze()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    // Opening the email again, the reply is there to send.
    await driver.button('Close the list').click();
    await driver.select(id);
    await driver.triage();
    await driver.button('Open as reply', driver.suggestion('email_external')).waitFor();
  });
});

describe('live refresh in the pane', () => {
  test('another tab’s decision shows in words within the interval; a reason being typed keeps its text, caret and focus', async () => {
    const { id, email } = await freshDeadline();
    driver = await PaneDriver.open(browser, stack, id);
    await driver.triage();
    const comment = await suggestionFor(email, 'jira_comment');

    // Part-way through rejecting the reply.
    await driver.button('Reject', driver.suggestion('email_external')).click();
    const reason = driver.pane.getByTestId('reject-reason');
    await reason.pressSequentially('Not before Dana confir');
    await reason.evaluate((e: HTMLTextAreaElement) => e.setSelectionRange(4, 4));

    // Another tab (the same person, signed in separately) rejects the Jira comment.
    await outlookClient(stack.backend).rejectSuggestion(comment.id, { reason: 'Covered in the standup' });
    const rejectedAt = Date.now();

    const card = driver.suggestion('jira_comment');
    await card.getByTestId('card-stale').getByText(/^Pat Morgan rejected this less than a minute ago: Covered in the standup$/).waitFor({ timeout: WITHIN_MS });
    expect(Date.now() - rejectedAt).toBeLessThan(WITHIN_MS);
    expect(await driver.button('Approve', card).count()).toBe(0);
    expect(await card.textContent()).not.toMatch(/\b(409|412|HTTP)\b/);
    expect((await new AxeBuilder({ page: driver.page }).include('#pane-frame').analyze()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    expect(await reason.inputValue()).toBe('Not before Dana confir');
    expect(await reason.evaluate((e: HTMLTextAreaElement) => [e === document.activeElement, e.selectionStart, e.selectionEnd])).toEqual([true, 4, 4]);
    await until('the comment to be rejected in the store', async () => (await stack.backend.store.getSuggestion(comment.id))!.state === 'rejected');
  });
});
