import { chromium, type Browser, type Page, type Request as PwRequest } from 'playwright-core';

/**
 * Debian's Chromium driven by playwright-core (Playwright's own browser download cannot work here).
 * Every page gets a guard that records any request to a host other than 127.0.0.1/localhost and
 * aborts it, so tests can assert nothing from content ever reached out.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

export interface GuardedPage {
  page: Page;
  /** URLs the page tried to load from anywhere but loopback. */
  offHost: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  /** Dialogs (alert/confirm/prompt) that opened: a sign that injected script ran. */
  dialogs: string[];
}

export async function guardedPage(browser: Browser): Promise<GuardedPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const offHost: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || ['127.0.0.1', 'localhost'].includes(url.hostname);
    if (local) return route.continue();
    offHost.push(url.href);
    return route.abort();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('requestfailed', (r: PwRequest) => {
    if (!offHost.includes(r.url()) && !r.url().startsWith('http://127.0.0.1')) offHost.push(r.url());
  });
  return { page, offHost, errors, dialogs };
}
