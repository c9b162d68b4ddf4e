import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { EmailInput } from '@pm-agent/shared';
import { INITIAL_JS_GZIP_BUDGET_KB, OPENING_JS_GZIP_BUDGET_KB, buildTaskPane, initialJsInputs, type TaskPaneBuild } from '@pm-agent/outlook-addin/build';
import { MARKS } from '@pm-agent/outlook-addin/perf';
import { startOutlookStack, type OutlookStack } from '../../local-host/src/outlook/stack';
import { launchChromium } from '../../local-host/test/support/browser';
import { budget } from '../lib/budget';
import type { BenchContext, SectionResult } from '../lib/section';
import { round, summarize } from '../lib/stats';

/**
 * The Outlook task pane: what the browser downloads (raw and gzip; Office.js is Microsoft's and not
 * counted; MSAL separately, since only msal mode fetches it, on the first sign-in), and, in
 * Chromium against the local stack (offline classifier), the time to first render and to a triage
 * result, from the pane's own performance marks.
 */
export const name = 'outlook';

/**
 * Budgets. The pane's initial JS budget is the build's own (also a test): zod/mini instead of
 * classic zod, and the browser's DOMParser instead of an XML parser, brought it from 108 to ~43 KB.
 */
const BUDGET = {
  paneJsGzipKb: INITIAL_JS_GZIP_BUDGET_KB,
  openingJsGzipKb: OPENING_JS_GZIP_BUDGET_KB,
  paneCssGzipKb: 5,
  msalJsGzipKb: 100,
  /**
   * The product's target for the pane opened in a running Outlook (issue 14: 395 ms measured before
   * zod/mini, DOMParser and the split opening; see first_render_cold_browser_ms for the other way).
   */
  firstRenderP50Ms: 150,
  triageP50Ms: 1_500,
  triageWarmP50Ms: 1_000,
};

const EMAIL_FILE = join(__dirname, '../../backend/test/fixtures/emails/ordinary/deadline-moves-abc-123.json');

interface Size {
  files: number;
  raw_bytes: number;
  gzip_bytes: number;
}

function sizeOf(contents: Array<Uint8Array | string>): Size {
  let raw = 0;
  let gz = 0;
  for (const c of contents) {
    raw += Buffer.byteLength(c);
    gz += gzipSync(c).length;
  }
  return { files: contents.length, raw_bytes: raw, gzip_bytes: gz };
}

const filesOf = (build: TaskPaneBuild, names: string[]) => names.map((n) => build.files.get(n)!);

/** Raw minified bytes of the initial JS by where they come from (gzip cannot be split by input). */
function breakdown(build: TaskPaneBuild): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [input, bytes] of initialJsInputs(build)) {
    const key = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.replace(/^\.\.\//, '').split('/')[0]!.replace(/^src$/, 'outlook-addin');
    out[key] = (out[key] ?? 0) + bytes;
  }
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}

async function postEmail(stack: OutlookStack, email: EmailInput): Promise<string> {
  const res = await fetch(`${stack.paneHostUrl}emails`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(email) });
  if (res.status !== 201) throw new Error(`POST /outlook/emails answered ${res.status}`);
  return ((await res.json()) as { id: string }).id;
}

const paneFrame = (page: Page) => page.frames().find((f) => f.url().includes('/outlook/taskpane.html'))!;

/** A mark's time in the pane frame (ms since that frame's navigation started); waits for it. */
async function markTime(page: Page, mark: string): Promise<number> {
  const frame = paneFrame(page);
  await frame.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 60_000 });
  return frame.evaluate((m) => performance.getEntriesByName(m).at(-1)!.startTime, mark);
}

/** Clicks "Triage this email" and waits for the result; an error the pane shows instead ends the run with its words. */
async function triageIn(pane: FrameLocator): Promise<void> {
  await pane.getByRole('button', { name: 'Triage this email', exact: true }).click();
  const settled = pane.locator('[data-testid="result"], [data-testid="error"]').first();
  await settled.waitFor({ timeout: 60_000 });
  if ((await settled.getAttribute('data-testid')) === 'error') throw new Error(`the pane showed an error instead of a triage result: ${await settled.textContent()}`);
}

interface Visit {
  firstRender: number;
  controllerReady: number;
  firstRenderColdBrowser: number;
  triage: number;
  triageWarm: number;
}

/** The host page with its pane frame given an empty page: Outlook running, the pane not yet opened in it. */
async function hostWithClosedPane(page: Page, stack: OutlookStack, id: string): Promise<void> {
  await page.route((url) => url.pathname.endsWith('/outlook/taskpane.html'), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>pane closed</title>' }), { times: 1 });
  await page.goto(`${stack.paneHostUrl}?email=${id}`);
  await page.waitForLoadState('networkidle');
  await page.unrouteAll(); // nothing after this passes through the test driver
}

/**
 * One visit, in new browser contexts (nothing cached, no credentials):
 * 1. cold browser: the host page and the pane load together in a fresh context; this includes a
 *    renderer process starting and the host page's own work (reported, not budgeted);
 * 2. in another fresh context, the host page is loaded and idle with the pane closed (its frame
 *    never ran the pane, and the local host serves everything no-store, so nothing is cached); the
 *    pane is opened on a new email, as from the ribbon: the first render the budget is for, and
 *    when the controller has taken over;
 * 3. that email is triaged, then a second one in the same pane.
 */
async function visit(browser: Browser, stack: OutlookStack, ids: [string, string, string]): Promise<Visit> {
  const cold = await browser.newContext();
  let firstRenderColdBrowser: number;
  try {
    const page = await cold.newPage();
    await page.goto(`${stack.paneHostUrl}?email=${ids[0]}`);
    firstRenderColdBrowser = await markTime(page, MARKS.firstRender);
  } finally {
    await cold.close();
  }
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await hostWithClosedPane(page, stack, ids[0]);
    await paneFrame(page).goto(`${stack.paneHostUrl}taskpane.html?item=${ids[1]}`);
    const firstRender = await markTime(page, MARKS.firstRender);
    const controllerReady = await markTime(page, MARKS.controllerReady);
    const pane = page.frameLocator('#pane-frame');
    await triageIn(pane);
    const triage = (await markTime(page, MARKS.triageResult)) - (await markTime(page, MARKS.triageStart));
    await page.locator(`nav button[data-email="${ids[2]}"]`).click();
    await pane.getByTestId('state-ready').waitFor();
    await triageIn(pane);
    const triageWarm = (await markTime(page, MARKS.triageResult)) - (await markTime(page, MARKS.triageStart));
    return { firstRender, controllerReady, firstRenderColdBrowser, triage, triageWarm };
  } finally {
    await context.close();
  }
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const build = await buildTaskPane();
  const byRole = (role: string) => [...build.roles].filter(([, r]) => r === role).map(([n]) => n);
  const paneJs = sizeOf([build.inline.openingJs, ...filesOf(build, build.controllerJs)]);
  const openingJs = sizeOf([build.inline.openingJs]);
  const css = sizeOf([build.inline.css]);
  const msal = sizeOf(filesOf(build, byRole('msal-js')));
  const redirect = sizeOf(filesOf(build, byRole('auth-redirect-js')));
  const page = sizeOf(filesOf(build, ['taskpane.html']));

  const runs = ctx.quick ? 3 : 10;
  // One person triages 2 emails a visit, 22 in all: more than the product's per-caller triage rate
  // (10 at once, 10 a minute) lets through, so later visits waited out a 429 and timed out. The bench
  // measures the pane, not the rate limit (which has its own tests), so it is lifted here.
  const stack = await startOutlookStack({ backend: { modelEnv: { PM_AGENT_TRIAGE_BURST: '1000', PM_AGENT_TRIAGE_PER_MINUTE: '10000' } } });
  const browser = await launchChromium();
  try {
    const base = JSON.parse(readFileSync(EMAIL_FILE, 'utf8')) as EmailInput;
    const fresh = async (i: number) => postEmail(stack, { ...base, internetMessageId: `<bench-pane-${i}-${Date.now()}@northwind.example>` });
    ctx.log('outlook: warm-up visit (starts the stage processes; not measured)');
    await visit(browser, stack, [await fresh(-1), await fresh(-2), await fresh(-3)]);
    const samples: Visit[] = [];
    for (let i = 0; i < runs; i++) {
      ctx.log(`outlook: visit ${i + 1}/${runs}`);
      samples.push(await visit(browser, stack, [await fresh(3 * i), await fresh(3 * i + 1), await fresh(3 * i + 2)]));
    }
    const first = summarize(samples.map((s) => s.firstRender), 1);
    const cold = summarize(samples.map((s) => s.firstRenderColdBrowser), 1);
    const ready = summarize(samples.map((s) => s.controllerReady), 1);
    const triage = summarize(samples.map((s) => s.triage), 1);
    const warm = summarize(samples.map((s) => s.triageWarm), 1);
    const kb = (b: number) => round(b / 1024, 1);
    return {
      sizes: {
        note: 'Office.js is loaded from Microsoft and not counted. MSAL is fetched only in msal mode, on the first sign-in.',
        pane_js_initial: { ...paneJs, budget: budget('gzip_kb', kb(paneJs.gzip_bytes), BUDGET.paneJsGzipKb) },
        pane_js_opening: { ...openingJs, budget: budget('gzip_kb', kb(openingJs.gzip_bytes), BUDGET.openingJsGzipKb), means: 'what runs before the email is first drawn, inline in the page (the controller is fetched after the drawing)' },
        pane_js_initial_raw_by_source: breakdown(build),
        pane_css: { ...css, means: 'inline in the page', budget: budget('gzip_kb', kb(css.gzip_bytes), BUDGET.paneCssGzipKb) },
        page_html: { ...page, means: 'taskpane.html as served, with the opening JS and the CSS inline' },
        msal_js: { ...msal, budget: budget('gzip_kb', kb(msal.gzip_bytes), BUDGET.msalJsGzipKb) },
        auth_redirect_js: redirect,
      },
      browser: {
        what: 'Chromium (headless) against the local stack, offline classifier; new browser contexts each visit (one for the cold-browser figure, one for the rest); times from the pane frame\'s performance marks',
        visits: runs,
        first_render_ms: { ...first, budget: budget('p50_ms', first.p50, BUDGET.firstRenderP50Ms), means: 'the pane opened in a running Outlook (host page loaded and idle, the pane never run in it, nothing cached): pane navigation start → the email drawn by the opening JS (page, CSS, Office stand-in, item, drawing); its buttons act once the controller is ready (next figure)' },
        controller_ready_ms: { ...ready, means: 'the same start → the controller has drawn over the first drawing (client, sign-in and schemas loaded and run; the body read and checked); reported, not budgeted' },
        first_render_cold_browser_ms: { ...cold, means: 'the host page and the pane loading together in a new browser context: the same, plus a renderer process starting and the host page\'s own work; reported, not budgeted' },
        triage_ms: { ...triage, budget: budget('p50_ms', triage.p50, BUDGET.triageP50Ms), means: 'click → result shown, first call: dev token, STS, signed POST /v1/triage through both stages, render' },
        triage_warm_ms: { ...warm, budget: budget('p50_ms', warm.p50, BUDGET.triageWarmP50Ms), means: 'the same for a second email in the same pane (credentials cached)' },
      },
    };
  } finally {
    await browser.close();
    await stack.close();
  }
}

export function summary(r: SectionResult): string[] {
  const s = r.sizes as Record<string, Size>;
  const b = r.browser as Record<string, { p50: number; p95: number }>;
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  return [
    `pane JS (initial) ${kb(s.pane_js_initial!.raw_bytes)} raw, ${kb(s.pane_js_initial!.gzip_bytes)} gzip; CSS ${kb(s.pane_css!.raw_bytes)} raw, ${kb(s.pane_css!.gzip_bytes)} gzip; MSAL (msal mode only) ${kb(s.msal_js!.raw_bytes)} raw, ${kb(s.msal_js!.gzip_bytes)} gzip`,
    `first render p50 ${b.first_render_ms!.p50.toFixed(0)} ms (pane opened in a running Outlook; controller ready ${b.controller_ready_ms!.p50.toFixed(0)} ms), ${b.first_render_cold_browser_ms!.p50.toFixed(0)} ms (cold browser); triage result p50 ${b.triage_ms!.p50.toFixed(0)} ms (first call, with sign-in), ${b.triage_warm_ms!.p50.toFixed(0)} ms (warm)`,
  ];
}
