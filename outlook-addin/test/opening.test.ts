import type { BackendClient } from '@pm-agent/backend-client';
import type { EmailInput, TriageEnvelope } from '@pm-agent/shared';
import { parseConfig } from '../src/auth/config';
import { openPane, type Opening } from '../src/opening';
import { Pane } from '../src/pane';
import { MARKS } from '../src/perf';
import { AUTO_TRIAGE_KEY } from '../src/prefs';
import { button, byTestId, elements, fakeDocument, FakeElement, FakeText, type FakeNode } from './support/fake-dom';
import { mockOffice, outlookItem, triage } from './support/fixtures';

/**
 * Opening the pane (opening.ts): the email is drawn from the item before the controller exists,
 * the controller's own drawing of it is the same, and what was pressed in between is done once.
 */
const CONFIG = parseConfig({
  endpoint: 'http://127.0.0.1:8787',
  region: 'local',
  auth: { mode: 'dev', tokenEndpoint: 'http://127.0.0.1:8787/v1/dev/token', stsEndpoint: 'http://127.0.0.1:8787/v1/sts', roleArn: 'arn:aws:iam::000000000000:role/pm-agent-outlook' },
});

/** The drawing as text: tags, attributes and text, in order. */
function drawing(node: FakeNode): string {
  if (node instanceof FakeText) return JSON.stringify(node.data);
  const el = node as FakeElement;
  const attrs = [...el.attributes].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ` ${k}="${v}"`).join('');
  return `<${el.tagName}${attrs}${el.checked ? ' (checked)' : ''}>${el.children.map(drawing).join('')}</${el.tagName}>`;
}

function storageOf(stored: Record<string, string>) {
  return { getItem: (k: string) => stored[k] ?? null, setItem: (k: string, v: string) => void (stored[k] = v) };
}

function recordingClient() {
  const triaged: string[] = [];
  const client = {
    triage: async (email: EmailInput): Promise<TriageEnvelope> => {
      triaged.push(email.subject);
      return { triage: triage(), cached: false };
    },
    getViewer: async () => ({ actor: { principal: 'outlook', id: 'pat.morgan@example.com' }, canApprove: true, paused: false, autonomyLevel: 'manual', holdDelayMinutes: 30 }),
  };
  return { client: client as unknown as BackendClient, triaged };
}

async function open(item: Record<string, unknown> | null, opts: { host?: string | null; stored?: Record<string, string> } = {}) {
  const mocked = mockOffice(item, { host: opts.host });
  const { doc } = fakeDocument();
  const root = new FakeElement('main');
  const storage = storageOf(opts.stored ?? {});
  const opening = openPane(mocked.office, root as unknown as Element, doc, storage);
  const first = await opening;
  const backend = recordingClient();
  const controller = () =>
    new Pane({ office: mocked.office, root: root as unknown as Element, document: doc, storage, pageUrl: 'http://127.0.0.1:8788/outlook/taskpane.html', loadConfig: async () => CONFIG, makeClient: () => backend.client, opening });
  return { first, root, backend, controller, drawnFirst: drawing(root) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 5_000 && !check(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(check()).toBe(true);
}

const firstRenderMarks = () => performance.getEntriesByName(MARKS.firstRender).length;

beforeEach(() => performance.clearMarks());

describe('opening the pane', () => {
  test('draws the open email and the Triage button before any controller exists, and marks the first render once', async () => {
    const { first, root, controller } = await open(outlookItem());
    expect(first).toEqual<Opening>({ drawn: true, requested: { waiting: false }, autoTriage: false });
    expect(byTestId(root, 'state-ready')).toBeDefined();
    expect(byTestId(root, 'email-subject')?.textContent).toBe('ABC-123: sandbox slips');
    expect(byTestId(root, 'email-from')?.textContent).toContain('Dana Whitfield');
    expect(elements(root).some((e) => e.tagName === 'button' && e.textContent === 'Triage this email')).toBe(true);
    expect(firstRenderMarks()).toBe(1);
    const pane = controller();
    await pane.start();
    expect(pane.kind).toBe('ready');
    expect(firstRenderMarks()).toBe(1); // the controller does not count its own drawing as the first
  });

  test("the controller's drawing of the same email is exactly the first drawing", async () => {
    const { root, controller, drawnFirst } = await open(outlookItem());
    expect(drawnFirst).toContain('ABC-123: sandbox slips');
    await controller().start();
    expect(drawing(root)).toBe(drawnFirst);
  });

  test('Triage pressed on the first drawing is done once the controller has started, exactly once', async () => {
    const { root, controller, backend } = await open(outlookItem());
    button(root, 'Triage this email').fire('click');
    button(root, 'Triage this email').fire('click');
    const pane = controller();
    await pane.start();
    await until(() => pane.kind === 'result');
    expect(backend.triaged).toEqual(['ABC-123: sandbox slips']);
  });

  test('Triage pressed on the first drawing shows at once that it is working', async () => {
    const { root } = await open(outlookItem());
    const triageButton = () => elements(root).find((e) => e.getAttribute('data-testid') === 'triage')!;
    expect(triageButton().getAttribute('disabled')).toBeNull();
    triageButton().fire('click');
    expect(triageButton().getAttribute('disabled')).not.toBeNull();
  });

  test('Triage pressed on one email is not done for another that Outlook moved to before the controller started (pinned pane)', async () => {
    const mocked = mockOffice(outlookItem({ subject: 'A: pressed here' }));
    const { doc } = fakeDocument();
    const root = new FakeElement('main');
    const opening = openPane(mocked.office, root as unknown as Element, doc, storageOf({}));
    await opening;
    button(root, 'Triage this email').fire('click');
    mocked.mock.context.mailbox.item = outlookItem({ subject: 'B: never asked', internetMessageId: '<m2@northwind.example>' }) as never;
    const backend = recordingClient();
    const pane = new Pane({ office: mocked.office, root: root as unknown as Element, document: doc, storage: storageOf({}), pageUrl: 'http://127.0.0.1:8788/outlook/taskpane.html', loadConfig: async () => CONFIG, makeClient: () => backend.client, opening });
    await pane.start();
    expect(pane.kind).toBe('ready');
    expect(byTestId(root, 'email-subject')?.textContent).toBe('B: never asked');
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.triaged).toEqual([]);
  });

  test.each([
    ['on', {}, true],
    ['off', { [AUTO_TRIAGE_KEY]: 'on' }, false],
  ] as const)('the auto-triage switch turned %s on the first drawing while the controller reads the body: the controller follows it', async (_name, before, on) => {
    const stored: Record<string, string> = { ...before };
    let giveBody: (() => void) | undefined;
    const slowBody = { body: { getAsync: (_c: unknown, cb: (r: unknown) => void) => void (giveBody = () => cb({ status: 'succeeded', value: '<p>x</p>' })) } };
    const { root, controller, backend } = await open(outlookItem(slowBody), { stored });
    const pane = controller();
    const started = pane.start();
    await until(() => giveBody !== undefined); // the controller is reading the body; the first drawing is still shown
    const toggle = byTestId(root, 'auto-triage')!;
    toggle.checked = on;
    toggle.fire('change');
    expect(stored[AUTO_TRIAGE_KEY]).toBe(on ? 'on' : 'off');
    giveBody!();
    await started;
    expect(byTestId(root, 'auto-triage')!.checked).toBe(on);
    if (on) await until(() => pane.kind === 'result');
    else await new Promise((r) => setTimeout(r, 20));
    expect(backend.triaged).toHaveLength(on ? 1 : 0);
  });

  test('"Waiting for you" pressed twice on the first drawing (open, then close) leaves the list closed', async () => {
    const { root, controller } = await open(outlookItem());
    button(root, 'Waiting for you').fire('click');
    button(root, 'Waiting for you').fire('click');
    const pane = controller();
    await pane.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(byTestId(root, 'state-waiting')).toBeUndefined();
    expect(pane.kind).toBe('ready');
  });

  test('"Waiting for you" pressed on the first drawing opens the list once the controller has started', async () => {
    const { root, controller } = await open(outlookItem());
    button(root, 'Waiting for you').fire('click');
    await controller().start();
    await until(() => byTestId(root, 'state-waiting') !== undefined);
  });

  test('the auto-triage switch on the first drawing is remembered, and the controller triages by it', async () => {
    const stored: Record<string, string> = {};
    const { root, controller, backend } = await open(outlookItem(), { stored });
    const toggle = byTestId(root, 'auto-triage')!;
    toggle.checked = true;
    toggle.fire('change');
    expect(stored[AUTO_TRIAGE_KEY]).toBe('on');
    const pane = controller();
    await pane.start();
    await until(() => pane.kind === 'result');
    expect(backend.triaged).toHaveLength(1);
  });

  test.each([
    ['no email selected', null, {}, 'no-item'],
    ['outside Outlook', outlookItem(), { host: null }, 'outside'],
    ['a sender with no address', outlookItem({ from: { displayName: 'Exchange', emailAddress: '/o=ExchangeLabs/ou=x' } }), {}, 'unreadable'],
    ['a sender address the schema refuses', outlookItem({ from: { displayName: 'Odd', emailAddress: 'odd@-bad-.example' } }), {}, 'unreadable'],
    ['a sender address longer than an address can be', outlookItem({ from: { displayName: 'Long', emailAddress: `${'a'.repeat(250)}@example.com` } }), {}, 'unreadable'],
    ['no Internet message id (a draft)', outlookItem({ internetMessageId: '' }), {}, 'unreadable'],
  ] as const)('%s: nothing is drawn early; the controller says what is wrong', async (_name, item, opts, kind) => {
    const { first, root, controller } = await open(item, opts);
    expect(first.drawn).toBe(false);
    expect(root.children).toHaveLength(0);
    expect(firstRenderMarks()).toBe(0);
    const pane = controller();
    await pane.start();
    expect(pane.kind).toBe(kind === 'unreadable' ? 'error' : kind);
    expect(firstRenderMarks()).toBe(1);
  });

  test('an address the schema refuses is drawn early, then left out with a note by the controller', async () => {
    const { root, controller } = await open(outlookItem({ to: [{ displayName: 'Priya Raman', emailAddress: 'priya@example.com' }, { displayName: 'Odd', emailAddress: 'pat(work)@example.com' }] }));
    expect(byTestId(root, 'email-to')?.textContent).toContain('pat(work)@example.com');
    await controller().start();
    expect(byTestId(root, 'email-to')?.textContent).toContain('priya@example.com');
    expect(byTestId(root, 'email-to')?.textContent).not.toContain('pat(work)');
    expect(byTestId(root, 'read-notes')?.textContent).toContain('1 To recipient has no email address');
  });
});
