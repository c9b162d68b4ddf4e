import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createSuggestion } from '@pm-agent/backend/domain';
import { jiraModule } from '../src/jira';
import { outlookModule } from '../src/outlook';
import { guardedPage, launchChromium } from './support/browser';
import { startTestStack, type TestStack } from './support/stack';

/**
 * Issue 14, items 13 and 14: axe-core finds no violations on any view of any page (the panels'
 * own DOM, not the stand-in host's frame around it), and approve, edit-then-approve and reject
 * work with the keyboard alone. Real bundles, real Chromium, real local stack.
 */
jest.setTimeout(120_000);

let stack: TestStack;
let browser: Browser;
const pages: Page[] = [];
beforeAll(async () => {
  stack = await startTestStack([jiraModule, outlookModule]);
  browser = await launchChromium();
}, 90_000);
afterEach(async () => {
  await Promise.all(pages.splice(0).map((p) => p.context().close()));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(path: string, viewport = { width: 1200, height: 900 }): Promise<Page> {
  const { page } = await guardedPage(browser);
  pages.push(page);
  await page.setViewportSize(viewport);
  await page.goto(`${stack.host.url}${path}`);
  return page;
}

/** Violations inside `scope` only: the host's chrome around the panel is a stand-in, not the product. */
async function violations(page: Page, scope: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include(scope).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Presses Tab until the focused element's accessible text matches, as a keyboard user would. */
async function tabTo(page: Page, label: RegExp, frame?: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const text = await (frame ? page.frameLocator(frame).locator(':focus') : page.locator(':focus'))
      .evaluate((e) => `${e.getAttribute('aria-label') ?? ''}|${e.textContent ?? ''}`)
      .catch(() => '');
    if (label.test(text)) return;
  }
  throw new Error(`Tab never reached ${label}`);
}

describe('axe-core: zero violations on every view', () => {
  it('Jira issue panel, as an approver and as someone who may not approve', async () => {
    const page = await open('/jira/issue/ABC-123');
    await page.getByRole('button', { name: 'Approve', exact: true }).first().waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
    const riley = await open('/jira/issue/ABC-123?as=riley');
    await riley.getByText(/not on the approver list/i).first().waitFor();
    expect(await violations(riley, '#forge-root')).toEqual([]);
  });

  it('Jira admin page', async () => {
    const page = await open('/jira/admin');
    await page.getByText('Decision boundaries', { exact: true }).first().waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
    // Every boundary select is named by a label the panel gave it, not one the host made up.
    const unnamed = await page.locator('#forge-root select').evaluateAll((els) => els.filter((e) => !(e as HTMLSelectElement).labels?.length && !e.getAttribute('aria-label')).length);
    expect(unnamed).toBe(0);
    // An approver row being added, with its field errors showing; and the pause confirmation.
    await page.getByRole('button', { name: 'Add an approver' }).click();
    await page.getByText('Enter the person’s name.').waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
    const unlabelled = await page.locator('#forge-root input').evaluateAll((els) => els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label')).map((e) => e.id));
    expect(unlabelled).toEqual([]);
    await page.getByRole('button', { name: 'Pause the agent now' }).click();
    await page.getByRole('button', { name: 'Yes, pause now' }).waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
  });

  it('Jira inbox: the list, an expanded card, a selection, and as someone who may not approve', async () => {
    const page = await open('/jira/inbox');
    await page.getByRole('button', { name: /^Waiting for me \(\d+\)$/ }).waitFor();
    const rows = page.locator('[data-testid^="inbox-row-"]');
    await rows.first().waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
    await rows.first().getByRole('button', { name: 'Expand' }).click();
    await rows.first().getByText('Why the agent suggests this').waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
    await page.getByRole('button', { name: /^Select all waiting in this filter/ }).click();
    await page.getByText(/selected \(at most 50\)/).waitFor();
    expect(await violations(page, '#forge-root')).toEqual([]);
    const riley = await open('/jira/inbox?as=riley');
    await riley.locator('[data-testid^="inbox-row-"]').first().waitFor();
    expect(await violations(riley, '#forge-root')).toEqual([]);
  });

  it('Outlook pane: ready, result, hostile, error', async () => {
    const page = await open('/outlook/?email=deadline-moves-abc-123', { width: 320 + 400, height: 600 });
    const pane = page.frameLocator('#pane-frame');
    await pane.getByTestId('state-ready').waitFor();
    expect(await violations(page, '#pane-frame')).toEqual([]);
    await pane.getByRole('button', { name: 'Triage this email' }).click();
    await pane.getByTestId('result').waitFor({ timeout: 60_000 });
    expect(await violations(page, '#pane-frame')).toEqual([]);

    const hostile = await open('/outlook/?email=you-are-now-dan');
    const hp = hostile.frameLocator('#pane-frame');
    await hp.getByRole('button', { name: 'Triage this email' }).click();
    await hp.getByTestId('result').waitFor({ timeout: 60_000 });
    expect(await violations(hostile, '#pane-frame')).toEqual([]);

    const broken = await open('/outlook/?email=meeting-reschedule');
    await broken.route('**/v1/triage', (route) => route.abort('connectionrefused'));
    const bp = broken.frameLocator('#pane-frame');
    await bp.getByRole('button', { name: 'Triage this email' }).click();
    await bp.getByTestId('error').waitFor({ timeout: 30_000 });
    expect(await violations(broken, '#pane-frame')).toEqual([]);
  });
});

describe('keyboard only', () => {
  /** The agent proposes a comment (through the domain, as the API does for the agent principal). */
  async function propose(body: string): Promise<string> {
    const req = { actionType: 'jira_comment', payload: { issueKey: 'ABC-125', body }, rationale: 'Keyboard walkthrough.', provenance: { source: 'agent', ref: 'kbd', excerpt: '' } } as const;
    const caller = { principal: 'agent', actor: { principal: 'agent', id: 'pm-agent' }, admin: false } as const;
    const out = await createSuggestion({ store: stack.backend.store, now: () => new Date() }, caller, req);
    return (out.body as { suggestion: { id: string } }).suggestion.id;
  }
  const state = async (id: string) => (await stack.backend.store.getSuggestion(id))!;

  it('Jira panel: approve, edit then approve, and reject, without a mouse', async () => {
    const approveId = await propose('Keyboard: approve me.');
    const editId = await propose('Keyboard: edit me.');
    const rejectId = await propose('Keyboard: reject me.');
    const page = await open('/jira/issue/ABC-125');
    await page.getByText('Keyboard: approve me.').waitFor();

    await tabTo(page, /^\|Approve$/);
    const group = await page.locator(':focus').evaluate((e) => e.closest('[data-forge-type="ButtonGroup"]')?.parentElement?.closest('[data-testid]')?.getAttribute('data-testid'));
    await page.keyboard.press('Enter');
    const approved = group!.replace('suggestion-', '');
    for (let i = 0; i < 100 && ['pending', 'approved', 'executing'].includes((await state(approved)).state); i++) await page.waitForTimeout(100);
    expect(['executed']).toContain((await state(approved)).state);
    // Focus did not fall to <body>: it moved on to the next waiting card.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BUTTON');

    await tabTo(page, /\|Edit then approve$/);
    const editing = (await page.locator(':focus').evaluate((e) => e.closest('[data-forge-type="Box"]')?.getAttribute('data-testid')))!.replace('suggestion-', '');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Keyboard: my edited text.');
    await tabTo(page, /\|Approve edited text$/);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 100 && (await state(editing)).state !== 'executed'; i++) await page.waitForTimeout(100);
    expect((await state(editing)).payload.body).toBe('Keyboard: my edited text.');

    await tabTo(page, /\|Reject$/);
    const rejecting = (await page.locator(':focus').evaluate((e) => e.closest('[data-forge-type="Box"]')?.getAttribute('data-testid')))!.replace('suggestion-', '');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    await page.keyboard.type('Not needed.');
    await tabTo(page, /\|Reject with this reason$/);
    await page.keyboard.press('Enter');
    for (let i = 0; i < 50 && (await state(rejecting)).state !== 'rejected'; i++) await page.waitForTimeout(100);
    expect(await state(rejecting)).toMatchObject({ state: 'rejected', decision: { reason: 'Not needed.' } });
    expect([approveId, editId, rejectId].sort()).toEqual([approved, editing, rejecting].sort());
  });

  it('Outlook pane: triage, Escape cancels an edit, reject, approve, without a mouse', async () => {
    const page = await open('/outlook/?email=bug-report-abc-124');
    const frame = page.frameLocator('#pane-frame');
    await frame.getByTestId('state-ready').waitFor();
    await frame.getByRole('button', { name: 'Triage this email' }).focus();
    await page.keyboard.press('Enter');
    await frame.getByTestId('result').waitFor({ timeout: 60_000 });
    expect(await frame.locator(':focus').getAttribute('id')).toBe('result-heading');

    await tabTo(page, /^Edit then approve: /, '#pane-frame');
    await page.keyboard.press('Enter');
    expect(await frame.locator(':focus').getAttribute('data-testid')).toBe('edit-text');
    await page.keyboard.press('Escape');
    expect(await frame.getByTestId('edit-text').count()).toBe(0);
    // Focus comes back into the card, not to <body>.
    expect(await frame.locator(':focus').count()).toBe(1);

    await tabTo(page, /^Approve: /, '#pane-frame');
    await page.keyboard.press('Enter');
    await frame.getByTestId('card-note').first().waitFor();
    expect(await frame.locator(':focus').count()).toBe(1);
  });
});
