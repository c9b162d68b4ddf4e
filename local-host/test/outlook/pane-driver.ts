import type { Browser, Frame, FrameLocator, Locator } from 'playwright-core';
import type { EmailInput } from '@pm-agent/shared';
import type { OutlookStack } from '../../src/outlook/stack';
import { guardedPage, type GuardedPage } from '../support/browser';

/**
 * Drives the pane as a person would, on the local host's Outlook page: the email list on the left
 * (the stand-in for Outlook's message list), the real pane bundle in its frame. Every page is
 * guarded: requests off loopback are aborted and recorded, page errors and dialogs are recorded.
 */
export class PaneDriver {
  /** Every URL the page (host page and pane frame) requested. */
  readonly requests: string[] = [];

  private constructor(
    readonly guarded: GuardedPage,
    readonly stack: OutlookStack,
  ) {
    guarded.page.on('request', (r) => this.requests.push(r.url()));
  }

  static async open(browser: Browser, stack: OutlookStack, email: string | null = 'deadline-moves-abc-123'): Promise<PaneDriver> {
    const driver = new PaneDriver(await guardedPage(browser), stack);
    await driver.guarded.page.setViewportSize({ width: 1300, height: 900 });
    await driver.guarded.page.goto(`${stack.paneHostUrl}?email=${encodeURIComponent(email ?? 'none')}`);
    await driver.pane.locator('[data-testid^="state-"]:not([data-testid="state-starting"])').waitFor();
    return driver;
  }

  get page() {
    return this.guarded.page;
  }

  get pane(): FrameLocator {
    return this.page.frameLocator('#pane-frame');
  }

  /** The pane's frame, for evaluating in it. */
  frame(): Frame {
    const frame = this.page.frames().find((f) => f.url().includes('/outlook/taskpane.html'));
    if (!frame) throw new Error('the pane frame is not there');
    return frame;
  }

  /** A button by its visible label (its accessible name may add which suggestion it belongs to). */
  button(name: string, within?: Locator): Locator {
    const label = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(: .+)?$`);
    return (within ?? this.pane.locator('body')).getByRole('button', { name: label }).filter({ hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) });
  }

  suggestion(actionType: string): Locator {
    return this.pane.getByTestId(`suggestion-${actionType}`);
  }

  /** Triages the open email; an error the pane shows instead of a result fails at once, in its words. */
  async triage(): Promise<void> {
    await this.button('Triage this email').click();
    const settled = this.pane.locator('[data-testid="result"], [data-testid="error"]').first();
    await settled.waitFor({ timeout: 60_000 });
    if ((await settled.getAttribute('data-testid')) === 'error') throw new Error(`the pane showed an error instead of a triage result: ${await settled.textContent()}`);
  }

  /** Picks an email in the host page's list (null: "No email selected"); the stand-in fires ItemChanged. */
  async select(id: string | null): Promise<void> {
    const entry = this.page.locator(`nav button[data-email="${id ?? 'none'}"]`);
    // The list shows each email by its subject: wait for the pane to show that one, not merely an email
    // (the previous email's card is still there until the pane has read the new item).
    const subject = id ? ((await entry.textContent()) ?? '').trim() : '';
    await entry.click();
    if (!id) return this.pane.getByTestId('no-item').waitFor();
    await this.pane.getByTestId('email-subject').filter({ hasText: new RegExp(`^\\s*${subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).waitFor();
  }

  /** What the stand-in recorded of displayReplyForm calls. */
  async replyForms(): Promise<string[]> {
    return this.frame().evaluate(() => (globalThis as unknown as { __officeStandIn: { record: { replyForms: string[] } } }).__officeStandIn.record.replyForms);
  }

  /** Waits until the pane has opened at least one reply form, and returns what it handed Outlook. */
  async replyFormsOpened(timeoutMs = 20_000): Promise<string[]> {
    const frame = this.frame();
    await frame.waitForFunction(() => (globalThis as unknown as { __officeStandIn: { record: { replyForms: string[] } } }).__officeStandIn.record.replyForms.length > 0, undefined, { timeout: timeoutMs });
    return this.replyForms();
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

/** Stores an email on the local host (POST /outlook/emails) and returns its id. */
export async function postEmail(stack: OutlookStack, email: EmailInput): Promise<string> {
  const res = await fetch(`${stack.paneHostUrl}emails`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(email) });
  if (res.status !== 201) throw new Error(`POST /outlook/emails answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Waits until the locator's text matches, polling; fails with the last text seen. */
export async function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = (await locator.textContent({ timeout: timeoutMs }).catch(() => '')) ?? '';
    if (typeof expected === 'string' ? last === expected : expected.test(last)) return last;
    if (Date.now() > until) throw new Error(`expected ${String(expected)}, last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
