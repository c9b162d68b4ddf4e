import { address } from '../src/render/address';
import { view, type ViewContext } from '../src/render/view';
import { INITIAL, next } from '../src/state';
import { EMAIL, suggestion, triage } from './support/fixtures';
import { elements, mountFake, type FakeElement } from './support/fake-dom';

/**
 * Addresses in a 320 px pane: a line may break before "@" and before each dot (a <wbr>), so an
 * address never breaks mid-word; the text itself is unchanged. How Chromium lays it out is
 * local-host/test/outlook/layout.test.ts's.
 */
const noop = () => undefined;
const ctx: ViewContext = {
  autoTriage: false,
  jiraBrowseUrl: undefined,
  actions: { triage: noop, setAutoTriage: noop, approve: noop, startEdit: noop, startReject: noop, cancel: noop, draft: noop, saveEdit: noop, confirmReject: noop, stop: noop, reply: noop, toggleMore: noop, cancelTriage: noop, cancelDecision: noop, retryDecision: noop, reopen: noop, undo: noop, notSuspicious: noop },
};

/** Each .address element as its pieces: text, and "|" for each break opportunity. */
function addressPieces(root: FakeElement): string[] {
  return elements(root)
    .filter((e) => e.getAttribute('class') === 'address')
    .map((e) => e.children.map((c) => ((c as FakeElement).tagName === 'wbr' ? '|' : (c as unknown as { data: string }).data)).join(''));
}

test('an address may break before "@" and each dot, nowhere else, and reads as it came', () => {
  const { root } = mountFake(address('dana.whitfield@northwind.example'));
  expect(root.getAttribute('class')).toBe('address');
  expect(root.children.map((c) => ((c as FakeElement).tagName === 'wbr' ? '|' : (c as unknown as { data: string }).data)).join('')).toBe('dana|.whitfield|@northwind|.example');
  expect(root.textContent).toBe('dana.whitfield@northwind.example');
});

test("the email's sender and recipients, and a reply's recipients, are shown that way", () => {
  const email = { ...EMAIL, from: { name: 'Dana Whitfield', address: 'dana.whitfield@northwind.example' }, to: [{ address: 'priya.raman@example.com' }], cc: [] };
  const ready = next(INITIAL, { type: 'item', email, notes: [] });
  const { root } = mountFake(view(ready, ctx));
  expect(addressPieces(root)).toEqual(['dana|.whitfield|@northwind|.example', 'priya|.raman|@example|.com']);
  const from = elements(root).find((e) => e.getAttribute('data-testid') === 'email-from')!;
  expect(from.textContent).toBe('Dana Whitfield <dana.whitfield@northwind.example>');

  const reply = suggestion('email_external', { to: ['dana.whitfield@northwind.example', 'sam@example.com'], subject: 'Re: Sandbox', body: 'Thanks.' });
  const done = next(next(ready, { type: 'triage' }), { type: 'triaged', triage: triage({ suggestions: [reply] }), cached: false, viewer: null });
  const pieces = addressPieces(mountFake(view(done, ctx)).root);
  expect(pieces).toEqual(expect.arrayContaining(['dana|.whitfield|@northwind|.example', 'sam|@example|.com']));
});
