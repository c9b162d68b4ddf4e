import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import type { CreateSuggestionRequest, Suggestion } from '@pm-agent/shared';
import { AGENT_ACTOR } from '@pm-agent/backend/domain';
import { createSuggestion } from '@pm-agent/backend/domain';
import { until } from '@pm-agent/backend/test/support/until';
import { jiraModule } from '../../src/jira';
import { guardedPage, launchChromium } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Live refresh in the issue panel (Chromium, local host, real stack): another tab's decision shows
 * in words within the poll interval, without a reload, while this tab's edit in progress keeps its
 * text and the focus. The local host shortens the interval (Jira's is LIVE_REFRESH_MS, 10 s).
 */
const INTERVAL_MS = 400;
/** One interval, plus room for a loaded machine (two shared cores) to draw it. */
const WITHIN_MS = INTERVAL_MS + 5_000;

let stack: TestStack;
let browser: Browser;
beforeAll(async () => {
  stack = await startTestStack([jiraModule], { liveRefreshMs: INTERVAL_MS });
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function propose(body: string): Promise<Suggestion> {
  const req: CreateSuggestionRequest = { actionType: 'jira_comment', payload: { issueKey: 'ABC-126', body }, rationale: 'Live panel test.', provenance: { source: 'jira_issue', ref: 'ABC-126', excerpt: 'x' } };
  const out = await createSuggestion({ store: stack.backend.store, now: () => new Date() }, { principal: 'agent', actor: AGENT_ACTOR, admin: false }, req);
  return (out.body as { suggestion: Suggestion }).suggestion;
}

jest.setTimeout(90_000);

describe('the issue panel refreshes itself', () => {
  it('shows another tab’s rejection in words within the interval; an edit in progress keeps its text and focus', async () => {
    const first = await propose('Livecheck: credentials rotated in staging');
    const second = await propose('Livecheck: production rotation booked for Friday');
    const a = await guardedPage(browser);
    await a.page.goto(`${stack.host.url}/jira/issue/ABC-126`);
    const cardA1 = a.page.getByTestId(`suggestion-${first.id}`);
    const cardA2 = a.page.getByTestId(`suggestion-${second.id}`);
    await cardA1.getByRole('button', { name: 'Reject', exact: true }).waitFor();

    // Tab A is part-way through editing the second card.
    await cardA2.getByRole('button', { name: 'Edit then approve' }).click();
    const draft = cardA2.getByRole('textbox');
    await draft.fill('Livecheck: my own words, not finished');

    // Tab B rejects the first one.
    const b = await guardedPage(browser);
    await b.page.goto(`${stack.host.url}/jira/issue/ABC-126`);
    const cardB1 = b.page.getByTestId(`suggestion-${first.id}`);
    await cardB1.getByRole('button', { name: 'Reject', exact: true }).click();
    await cardB1.getByRole('textbox').fill('Rotation is owned by the platform team');
    await cardB1.getByRole('button', { name: 'Reject with this reason' }).click();
    await until('the rejection to be recorded', async () => (await stack.backend.store.getSuggestion(first.id))!.state === 'rejected', 20_000);
    const rejectedAt = Date.now();

    // Tab A says so in words, in place, and offers no decision on it any more.
    const told = cardA1.locator('section', { hasText: 'Changed while you were looking' });
    await told.getByText(/^rejected this less than a minute ago: Rotation is owned by the platform team$/).waitFor({ timeout: WITHIN_MS });
    expect(Date.now() - rejectedAt).toBeLessThan(WITHIN_MS);
    expect(await told.getByText('Pat Morgan').count()).toBe(1);
    expect(await cardA1.getByRole('button', { name: /^(Approve|Reject|Edit then approve)$/ }).count()).toBe(0);
    expect(await cardA1.textContent()).not.toMatch(/\b(409|412|conflict)\b/i);
    expect((await new AxeBuilder({ page: a.page }).include('#forge-root').analyze()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    // The edit in progress is untouched: same text, still focused.
    expect(await draft.inputValue()).toBe('Livecheck: my own words, not finished');
    expect(await draft.evaluate((e) => e === document.activeElement)).toBe(true);

    for (const t of [a, b]) {
      expect(t.offHost).toEqual([]);
      expect(t.errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
      await t.page.context().close();
    }
  });
});
