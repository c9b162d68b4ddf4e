import type { Browser } from 'playwright-core';
import { outlookModule } from '../../src/outlook';
import { visible } from '../../src/outlook/visible';
import { guardedPage, launchChromium } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

/** Issue 14.16: the host page shows the email being triaged as text, and lists emails safely. */
jest.setTimeout(120_000);
let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack([outlookModule]);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

test('visible() turns direction and zero-width controls into markers', () => {
  expect(visible('invoice\u202Efdp.exe')).toBe('invoice[U+202E]fdp.exe');
  expect(visible('a\u200Bb\u2066c')).toBe('a[U+200B]b[U+2066]c');
  expect(visible('plain')).toBe('plain');
});

test('an email with a right-to-left override: the list shows a marker instead of obeying it, and the body is shown as text', async () => {
  const email = {
    internetMessageId: '<rtlo-host-page@example.com>',
    subject: 'Invoice \u202Efdp.exe ready',
    from: { name: 'Mallory \u202EFinch', address: 'mallory@contractor.example' },
    to: [{ address: 'priya.raman@example.com' }],
    receivedAt: '2026-11-20T10:00:00Z',
    bodyHtml: '<p>Hello</p><script>window.pwned = 1</script><b>bold?</b>',
  };
  const res = await fetch(`${stack.host.url}/outlook/emails`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(email) });
  const { id } = (await res.json()) as { id: string };
  const { page, errors } = await guardedPage(browser);
  await page.goto(`${stack.host.url}/outlook/?email=${id}`);

  const entry = page.locator(`nav button[data-email="${id}"]`);
  await entry.waitFor();
  const shown = (await entry.textContent()) ?? '';
  expect(shown).toBe('Invoice [U+202E]fdp.exe ready');
  expect(await page.locator('nav').evaluate((n) => /[\u202A-\u202E\u2066-\u2069]/.test(n.textContent ?? ''))).toBe(false);

  const body = page.getByTestId('email-body');
  await body.waitFor();
  expect(await body.textContent()).toBe(email.bodyHtml);
  expect(await page.getByTestId('email-view').evaluate((v) => v.querySelectorAll('script, b, p:not(:first-of-type) + script').length)).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  await page.context().close();
});
