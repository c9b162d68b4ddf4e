import { RateLimitError } from '@pm-agent/backend-client';
import { ERROR_WORDS, payloadHash, wordsFor, type Suggestion } from '@pm-agent/shared';
import { describeFailure } from '../src/resolvers/errors';
import { resolverDefinitions, type ResolverDefinitions } from '../src/resolvers';
import { createMemoryPorts, forgeContextFor } from '../src/stand-ins';
import {
  APPROVER,
  CLOUD_ID,
  VIEWER,
  changeSettings,
  commentProposal,
  comments,
  portsForDeadBackend,
  propose,
  startForgeSetup,
  type ForgeSetup,
} from './support/backend';
import {
  PageSession,
  answerWith,
  button,
  buttons,
  byTestId,
  click,
  findAll,
  hasText,
  openPage,
  texts,
  typeInto,
  withProp,
  type ForgeNode,
} from './support/forge-doc';

/**
 * The issue panel's real bundle entry rendered to a ForgeDoc, clicked through as a person would,
 * with the real resolvers and the real local backend (execute stage and Jira double included).
 */

let setup: ForgeSetup;
const sessions: PageSession[] = [];
beforeAll(async () => (setup = await startForgeSetup()));
afterEach(() => Promise.all(sessions.splice(0).map((s) => s.close())));
afterAll(() => setup.b.stop());

function openPanel(accountId: string, issueKey = 'ABC-123', defs: ResolverDefinitions = setup.defs): PageSession {
  const ctx = forgeContextFor('issuePanel', { accountId, cloudId: CLOUD_ID, issueKey });
  const session = new PageSession(answerWith(defs, ctx.resolver), ctx.view);
  sessions.push(session);
  return openPage('issue-panel', session);
}

function cardOf(session: PageSession, s: Suggestion): Promise<ForgeNode> {
  return session.until(`the card of ${s.id}`, (root) => byTestId(root, `suggestion-${s.id}`));
}

/** Re-reads the card from the latest tree and waits until it shows `text`. */
function cardShows(session: PageSession, s: Suggestion, text: string | RegExp): Promise<ForgeNode> {
  return session.until(`${s.id} to show ${String(text)}`, (root) => {
    const card = byTestId(root, `suggestion-${s.id}`);
    return card && hasText(card, text) ? card : undefined;
  });
}

const buttonLabels = (node: ForgeNode) => findAll(node, (n) => n.type === 'Button').map((b) => texts(b).join(''));
const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));

describe('the issue panel', () => {
  it('shows a loading view, then each suggestion: what will happen, why, where it came from, its boundary and state', async () => {
    const seeded = (await setup.b.store.listSuggestions({ issueKey: 'ABC-123' })).find((s) => s.actionType === 'jira_comment')!;
    const session = openPanel(APPROVER);
    expect(session.frames[0]).toContain('Loading the agent’s suggestions…');

    const card = await cardOf(session, seeded);
    const shown = texts(card);
    expect(shown).toEqual(
      expect.arrayContaining([
        'Comment on a Jira issue',
        'Needs approval',
        'Waiting for approval',
        'What will happen, exactly',
        'Comment text',
        seeded.payload.body as string,
        'Why the agent suggests this',
        seeded.rationale,
        'Came from: Email “Re: Sandbox availability” (<CAF1d9x2-sandbox-delay@northwind.example>)',
        `Excerpt: “${seeded.provenance.excerpt}”`,
      ]),
    );
    expect(buttonLabels(card)).toEqual(['Approve', 'Edit then approve', 'Reject']);
    // Untrusted text is text: no links, no rendered documents inside the card.
    expect(findAll(card, (n) => ['Link', 'AdfRenderer', 'Image', 'Frame'].includes(n.type))).toEqual([]);
  });

  it('Approve clicked twice posts one comment; the card then shows the result and a link with its full host', async () => {
    const { b } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Panel double-click: posted once.'));
    const session = openPanel(APPROVER);
    // Both clicks reach the handler the host saw first, as a fast double click does before the
    // re-render that disables the button arrives.
    const onClick = button(await cardOf(session, s), 'Approve').props.onClick as () => void;
    onClick();
    onClick();

    const card = await cardShows(session, s, 'Comment posted on ABC-123.');
    expect(texts(card)).toEqual(expect.arrayContaining(['Done', 'What was done', 'Panel double-click: posted once.']));
    expect(comments(b, 'ABC-123').filter((c) => c === 'Panel double-click: posted once.')).toHaveLength(1);
    expect(session.invokes.filter((i) => i.functionKey === 'approve')).toHaveLength(1);
    const [link] = findAll(card, (n) => n.type === 'Link');
    expect(link?.props.href).toMatch(new RegExp(`^${b.jira!.url}/browse/ABC-123\\?focusedCommentId=\\d+$`));
    expect(texts(card)).toContain(` (${new URL(b.jira!.url).hostname})`);
    // Within the undo window, the only thing left to do is take it back.
    expect(buttonLabels(card)).toEqual(['Undo']);
    // What a host must answer for this page: the rendered tree and resolver calls, nothing else.
    expect([...session.commands].sort()).toEqual(['invoke', 'reconcile']);
    expect(session.errors).toEqual([]);
  });

  it('Edit then approve: a text area with the agent’s text; the card shows it was edited; Jira gets the edited text', async () => {
    const { b } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Panel edit: the agent wrote this.'));
    const session = openPanel(APPROVER);
    click(button(await cardOf(session, s), 'Edit then approve'));

    const editing = await session.until('the edit box', (root) => findAll(byTestId(root, `suggestion-${s.id}`)!, (n) => n.type === 'TextArea')[0]);
    expect(editing.props.value).toBe('Panel edit: the agent wrote this.');
    typeInto(editing, 'Panel edit: the approver wrote this.');
    const ready = await session.until('the edited text to be taken', (root) => {
      const card = byTestId(root, `suggestion-${s.id}`)!;
      return findAll(card, (n) => n.type === 'TextArea')[0]?.props.value === 'Panel edit: the approver wrote this.' && card;
    });
    click(button(ready, 'Approve edited text'));

    const card = await cardShows(session, s, 'Comment posted on ABC-123.');
    expect(withProp(card, 'Tag', 'text', 'Edited by an approver')).toHaveLength(1);
    expect(texts(card)).toContain('Panel edit: the approver wrote this.');
    expect(comments(b, 'ABC-123')).toContain('Panel edit: the approver wrote this.');
    expect(comments(b, 'ABC-123')).not.toContain('Panel edit: the agent wrote this.');
  });

  it('Reject asks for a reason and records it', async () => {
    const { b } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Panel reject check.'));
    const session = openPanel(APPROVER);
    click(button(await cardOf(session, s), 'Reject'));
    const reason = await session.until('the reason box', (root) => findAll(byTestId(root, `suggestion-${s.id}`)!, (n) => n.type === 'TextArea')[0]);
    expect(button(byTestId(session.root!, `suggestion-${s.id}`)!, 'Reject with this reason').props.isDisabled).toBe(true);
    typeInto(reason, 'The customer was told on the phone.');
    const ready = await session.until('the reason to be taken', (root) => {
      const card = byTestId(root, `suggestion-${s.id}`)!;
      return !button(card, 'Reject with this reason').props.isDisabled && card;
    });
    click(button(ready, 'Reject with this reason'));

    const card = await cardShows(session, s, 'Reason: The customer was told on the phone.');
    expect(texts(card)).toEqual(expect.arrayContaining(['Rejected', 'Rejected by']));
    expect(await b.store.getSuggestion(s.id)).toMatchObject({ state: 'rejected', decision: { reason: 'The customer was told on the phone.', by: { id: APPROVER } } });
  });

  it('hold-queue items show the time left and a Stop button, which stops them', async () => {
    const { b } = setup;
    await changeSettings(b, { autonomyLevel: 'assisted', holdDelayMinutes: 30 });
    try {
      // The agent's own decision: a status taken from someone else's Jira text would need approval instead.
      const s = await propose(b, { actionType: 'jira_status_change', payload: { issueKey: 'ABC-123', toStatus: 'In Review' }, rationale: 'A reviewer was assigned.', provenance: { source: 'agent', ref: 'ABC-123', excerpt: '' } });
      const session = openPanel(APPROVER);
      const card = await cardOf(session, s);
      expect(texts(card)).toEqual(expect.arrayContaining(['Hold queue', 'In the hold queue', expect.stringMatching(/^Runs in (29|30) minutes unless someone stops it \(at \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/)]));
      expect(buttonLabels(card)).toEqual(['Run now', 'Stop']); // a status change has no text to edit
      click(button(card, 'Stop'));
      const stopped = await cardShows(session, s, 'Stopped by');
      expect(texts(stopped)).toContain('Stopped');
      expect((await b.store.getSuggestion(s.id))!.state).toBe('stopped');
    } finally {
      await changeSettings(b, { autonomyLevel: 'manual' });
    }
  });

  it('a held comment can be edited before it runs (it stays held), then run now: Jira gets the edited text', async () => {
    const { b } = setup;
    await changeSettings(b, { autonomyLevel: 'assisted', holdDelayMinutes: 30 });
    try {
      const s = await propose(b, { actionType: 'jira_comment', payload: { issueKey: 'ABC-123', body: 'Held panel note: first draft.' }, rationale: 'Weekly note.', provenance: { source: 'agent', ref: 'run', excerpt: '' } });
      const session = openPanel(APPROVER);
      const card = await cardOf(session, s);
      expect(buttonLabels(card)).toEqual(['Run now', 'Edit before it runs', 'Stop']);
      click(button(card, 'Edit before it runs'));
      const editing = await session.until('the edit box', (root) => findAll(byTestId(root, `suggestion-${s.id}`)!, (n) => n.type === 'TextArea')[0]);
      typeInto(editing, 'Held panel note: edited by Pat.');
      const ready = await session.until('the edited text to be taken', (root) => {
        const c = byTestId(root, `suggestion-${s.id}`)!;
        return findAll(c, (n) => n.type === 'TextArea')[0]?.props.value === 'Held panel note: edited by Pat.' && c;
      });
      click(button(ready, 'Save edit (it runs when the hold ends)'));
      const saved = await cardShows(session, s, 'Saved. Your version runs when the hold ends, unless someone stops it.');
      expect(texts(saved)).toEqual(expect.arrayContaining(['In the hold queue', 'Held panel note: edited by Pat.']));
      expect(await b.store.getSuggestion(s.id)).toMatchObject({ state: 'scheduled', edited: true, payload: { body: 'Held panel note: edited by Pat.' } });

      click(button(saved, 'Run now'));
      await cardShows(session, s, 'Comment posted on ABC-123.');
      expect(comments(b, 'ABC-123')).toContain('Held panel note: edited by Pat.');
      expect(comments(b, 'ABC-123')).not.toContain('Held panel note: first draft.');
    } finally {
      await changeSettings(b, { autonomyLevel: 'manual' });
    }
  });

  it('a failed status change offers the statuses Jira offered; choosing one runs it again and moves the issue', async () => {
    const { b } = setup;
    const s = await propose(b, { actionType: 'jira_status_change', payload: { issueKey: 'ABC-123', toStatus: 'Closed' }, rationale: 'Wrapped up.', provenance: { source: 'agent', ref: 'ABC-123', excerpt: '' } });
    const session = openPanel(APPROVER);
    click(button(await cardOf(session, s), 'Approve'));
    const failed = await cardShows(session, s, 'Retry with another status');
    const offered = (await b.store.getSuggestion(s.id))!.result!.offeredStatuses!;
    expect(offered.length).toBeGreaterThan(0);
    click(button(failed, 'Retry with another status'));
    const choosing = await session.until('the offered statuses', (root) => {
      const c = byTestId(root, `suggestion-${s.id}`)!;
      return buttonLabels(c).includes(offered[0]!) && c;
    });
    expect(buttonLabels(choosing)).toEqual([...offered, 'Cancel']);
    click(button(choosing, offered[0]!));
    await cardShows(session, s, `ABC-123 moved to ${offered[0]}.`);
    expect(b.jira!.state.issue('ABC-123')!.status).toBe(offered[0]);
  });

  it('approving from a stale view shows the conflict and the new payload, posts nothing, and approving again works', async () => {
    const { b } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Panel stale view: old text.'));
    const session = openPanel(APPROVER);
    await cardOf(session, s);
    const changed = { ...s.payload, body: 'Panel stale view: new text.' };
    const hash = await payloadHash(changed);
    const cur = (await b.store.getSuggestion(s.id))!;
    await b.store.commit({ writes: [{ kind: 'suggestion', value: { ...cur, payload: changed, payloadHash: hash, version: cur.version + 1 }, expectedVersion: cur.version }] });

    click(button(byTestId(session.root!, `suggestion-${s.id}`)!, 'Approve'));
    const card = await cardShows(session, s, 'Panel stale view: new text.');
    expect(withProp(card, 'SectionMessage', 'title', 'This suggestion changed')).toHaveLength(1);
    expect(texts(card)).toContain('The suggestion changed since you loaded it. Review the current version below and approve again.');
    expect(texts(card)).not.toContain('Panel stale view: old text.');
    await settle();
    expect(comments(b, 'ABC-123').filter((c) => c.startsWith('Panel stale view'))).toEqual([]);
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');

    // The approver has now seen the current text; approving again approves exactly that.
    click(button(card, 'Approve'));
    await cardShows(session, s, 'Comment posted on ABC-123.');
    expect(comments(b, 'ABC-123').filter((c) => c.startsWith('Panel stale view'))).toEqual(['Panel stale view: new text.']);
  });
});

const NOTE_APPROVED = 'Approved. The agent carries it out next; this card shows the result when it has.';

describe('issue 14: what a first-time user hit', () => {
  const FINISHED_NOISE = ['Needs approval', 'What will happen, exactly', NOTE_APPROVED, 'Why the agent suggests this'];

  it('item 4: a finished card says what happened and who decided, nothing else', async () => {
    const { b } = setup;
    const done = await propose(b, commentProposal('ABC-123', 'Item 4: posted.'));
    const rejected = await propose(b, commentProposal('ABC-123', 'Item 4: rejected.'));
    const session = openPanel(APPROVER);
    click(button(await cardOf(session, done), 'Approve'));
    const doneCard = await cardShows(session, done, 'Comment posted on ABC-123.');
    for (const noise of FINISHED_NOISE) expect(texts(doneCard)).not.toContain(noise);
    expect(texts(doneCard)).toEqual(expect.arrayContaining(['Done', 'Approved by']));

    click(button(await cardOf(session, rejected), 'Reject'));
    const box = await session.until('the reason box', (root) => findAll(byTestId(root, `suggestion-${rejected.id}`)!, (n) => n.type === 'TextArea')[0]);
    typeInto(box, 'Not needed.');
    click(button(byTestId(session.root!, `suggestion-${rejected.id}`)!, 'Reject with this reason'));
    const rejectedCard = await cardShows(session, rejected, 'Reason: Not needed.');
    for (const noise of FINISHED_NOISE) expect(texts(rejectedCard)).not.toContain(noise);
    expect(texts(rejectedCard)).not.toContain('Item 4: rejected.');
  });

  it('item 3: a paused agent shows no hold countdown', async () => {
    const { b } = setup;
    await changeSettings(b, { autonomyLevel: 'assisted', holdDelayMinutes: 30 });
    try {
      // The agent's own decision: a status taken from someone else's Jira text would need approval instead (issue 12).
      const s = await propose(b, { actionType: 'jira_status_change', payload: { issueKey: 'ABC-123', toStatus: 'In Review' }, rationale: 'Item 3.', provenance: { source: 'agent', ref: 'ABC-123', excerpt: '' } });
      expect(s.state).toBe('scheduled');
      await changeSettings(b, { paused: true });
      const session = openPanel(APPROVER);
      const card = await cardOf(session, s);
      expect(withProp(session.root!, 'SectionMessage', 'title', 'The PM agent is paused')).toHaveLength(1);
      expect(texts(card).join(' ')).not.toMatch(/Runs in|Due now/);
      expect(texts(card).join(' ')).toMatch(/waits while the agent is paused/);
    } finally {
      await changeSettings(b, { autonomyLevel: 'manual', paused: false });
    }
  });

  it('item 5: a stale view says in words what happened, without codes or ids, and the edit form closes', async () => {
    const { b } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Item 5: someone else rejects this.'));
    const session = openPanel(APPROVER);
    click(button(await cardOf(session, s), 'Edit then approve'));
    const box = await session.until('the edit box', (root) => findAll(byTestId(root, `suggestion-${s.id}`)!, (n) => n.type === 'TextArea')[0]);
    typeInto(box, 'Item 5: my edit.');
    // Meanwhile another approver rejects it.
    await b.forge(`/v1/suggestions/${s.id}/reject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Duplicate.' }), accountId: APPROVER });
    click(button(byTestId(session.root!, `suggestion-${s.id}`)!, 'Approve edited text'));
    const card = await cardShows(session, s, 'Reason: Duplicate.');
    const shown = texts(card).join(' ');
    expect(shown).not.toMatch(/HTTP|409|request id|[0-9a-f]{8}-[0-9a-f]{4}/i);
    expect(shown).not.toContain(APPROVER);
    expect(shown).toMatch(/Someone got there first/);
    expect(buttonLabels(card)).not.toContain('Approve edited text');
    expect(findAll(card, (n) => n.type === 'TextArea')).toEqual([]);
  });

  it('item 8: a long summary shows 3 lines until "Show more"', async () => {
    const { b } = setup;
    const long = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of the pasted email.`).join('\n');
    const s = await propose(b, commentProposal('ABC-123', long));
    const session = openPanel(APPROVER);
    const card = await cardOf(session, s);
    expect(texts(card)).not.toContain('Line 4 of the pasted email.');
    expect(buttonLabels(card)).toEqual(expect.arrayContaining(['Show more', 'Approve']));
    click(button(card, 'Show more'));
    await cardShows(session, s, 'Line 40 of the pasted email.');
  });

  it('item 9: waiting items first; finished ones collapsed under "History (n)"', async () => {
    const session = openPanel(APPROVER);
    const root = await session.until('the history heading', (r) => (texts(r).some((t) => /^History \(\d+\)$/.test(t)) ? r : undefined));
    const all = texts(root);
    const at = all.findIndex((t) => /^History \(\d+\)$/.test(t));
    expect(all.slice(at).some((t) => t === 'Waiting for approval')).toBe(false);
    expect(all.slice(at).some((t) => ['Done', 'Rejected', 'Stopped'].includes(t))).toBe(false); // collapsed
    click(byTestId(root, 'history-toggle')!);
    await session.until('the finished cards', (r) => (texts(r).slice(at).some((t) => ['Done', 'Rejected', 'Stopped'].includes(t)) ? r : undefined));
  });

  it('item 13: repeated decision buttons sit in groups named after their suggestion', async () => {
    const session = openPanel(APPROVER);
    await session.until('two waiting cards', (r) => (findAll(r, (n) => n.type === 'ButtonGroup').length >= 2 ? r : undefined));
    const labels = findAll(session.root!, (n) => n.type === 'ButtonGroup').map((g) => g.props.label as string);
    expect(new Set(labels).size).toBe(labels.length);
    for (const l of labels) expect(l).toMatch(/^Decide on: .+ on ABC-123: “.+”$/);
  });
});

describe('the panel’s own views', () => {
  it('empty: an issue the agent has said nothing about', async () => {
    const session = openPanel(APPROVER, 'ABC-999');
    await session.until('the empty view', (root) => withProp(root, 'SectionMessage', 'title', 'No suggestions for ABC-999')[0]);
    expect(hasText(session.root!, 'The PM agent has not proposed anything for this issue.')).toBe(true);
  });

  it('paused: a notice above the suggestions', async () => {
    await changeSettings(setup.b, { paused: true });
    try {
      const session = openPanel(APPROVER);
      await session.until('the paused notice', (root) => withProp(root, 'SectionMessage', 'title', 'The PM agent is paused')[0]);
      expect(hasText(session.root!, 'Nothing it proposes runs until a Jira admin resumes it.')).toBe(true);
    } finally {
      await changeSettings(setup.b, { paused: false });
    }
  });

  it('not allowed to approve: suggestions read-only, no decision buttons, and the backend refuses a decision anyway', async () => {
    const { b } = setup;
    const s = await propose(b, commentProposal('ABC-123', 'Viewer check.'));
    const session = openPanel(VIEWER);
    await session.until('the not-approver notice', (root) => withProp(root, 'SectionMessage', 'title', 'You can look, but not approve')[0]);
    const card = await cardOf(session, s);
    expect(texts(card)).toContain('Viewer check.');
    for (const label of ['Approve', 'Edit then approve', 'Reject', 'Stop']) expect(buttons(session.root!, label)).toEqual([]);

    // A page that showed the button anyway gets the backend's refusal, in words.
    const answer = await session.callBridge('invoke', { functionKey: 'approve', payload: { id: s.id, payloadHash: s.payloadHash } });
    expect(answer).toMatchObject({ ok: false, error: { kind: 'not_approver', message: expect.stringMatching(/^You can see these suggestions but you are not on the approver list/) } });
    expect((await b.store.getSuggestion(s.id))!.state).toBe('pending');
  });

  it('backend unreachable: says which backend, what to do, and offers to try again', async () => {
    const down = await portsForDeadBackend(setup.b.forgeKeys);
    const session = openPanel(APPROVER, 'ABC-123', down.defs);
    await session.until('the unreachable view', (root) => withProp(root, 'SectionMessage', 'title', 'Cannot reach the PM agent backend')[0]);
    expect(hasText(session.root!, `The PM agent backend at ${down.host} is not answering.`)).toBe(true);
    click(button(session.root!, 'Try again'));
    await session.until('a second attempt', () => session.invokes.length === 2);
    await session.until('the unreachable view again', (root) => withProp(root, 'SectionMessage', 'title', 'Cannot reach the PM agent backend')[0]);
  });

  it('a failure is titled with the shared error words, not only by its kind', async () => {
    const busy = new RateLimitError({ operation: 'GET /v1/suggestions', status: 429 });
    const error = describeFailure(busy, { purpose: 'read', host: 'pm.example' })!;
    const defs: ResolverDefinitions = { ...setup.defs, getIssueSuggestions: async () => ({ ok: false, error }) };
    const session = openPanel(APPROVER, 'ABC-123', defs);
    const title = wordsFor(ERROR_WORDS.rate_limited.title, 'jira').replace('{Service}', 'The PM agent backend');
    await session.until('the busy view', (root) => withProp(root, 'SectionMessage', 'title', title)[0]);
    expect(hasText(session.root!, wordsFor(ERROR_WORDS.rate_limited.message, 'jira'))).toBe(true);
  });

  it('an answer in a shape the page does not know is not shown: it says so in words, the mismatch behind Details', async () => {
    const seeded = (await setup.b.store.listSuggestions({ issueKey: 'ABC-123' })).find((s) => s.actionType === 'jira_comment')!;
    const bent: Array<[string, (a: Record<string, unknown>) => unknown]> = [
      // A suggestion with a field no suggestion has, one with a state that does not exist, an error of no known kind, a bare string.
      ['an unknown field', (a) => ({ ...a, items: (a.items as Array<{ suggestion: Suggestion }>).map((i) => ({ ...i, suggestion: { ...i.suggestion, html: '<b>x</b>' } })) })],
      ['an unknown state', (a) => ({ ...a, items: (a.items as Array<{ suggestion: Suggestion }>).map((i) => ({ ...i, suggestion: { ...i.suggestion, state: 'approved-by-magic' } })) })],
      ['an unknown error kind', () => ({ ok: false, error: { kind: 'teapot', message: 'Short and stout.' } })],
      ['a bare string', () => 'ok'],
    ];
    for (const [what, bend] of bent) {
      const defs: ResolverDefinitions = { ...setup.defs, getIssueSuggestions: async (req) => bend((await setup.defs.getIssueSuggestions(req)) as Record<string, unknown>) as never };
      const session = openPanel(APPROVER, 'ABC-123', defs);
      await session.until(`the not-understood view (${what})`, (root) => (hasText(root, /answered in a way this page does not understand/) ? root : undefined));
      expect(byTestId(session.root!, `suggestion-${seeded.id}`)).toBeUndefined();
      expect(hasText(session.root!, 'Short and stout.')).toBe(false);
      expect(hasText(session.root!, /getIssueSuggestions: /)).toBe(false); // the mismatch is behind Details
      click(button(session.root!, 'Details'));
      await session.until(`the mismatch in Details (${what})`, (root) => (hasText(root, /^getIssueSuggestions: /) ? root : undefined));
    }
  });

  it('not connected yet: says a Jira admin can set it up', async () => {
    const session = openPanel(APPROVER, 'ABC-123', resolverDefinitions(createMemoryPorts()));
    await session.until('the not-configured view', (root) => withProp(root, 'SectionMessage', 'title', 'The PM agent is not connected yet')[0]);
    expect(hasText(session.root!, /A Jira admin can enter the endpoint and key on the PM agent admin page/)).toBe(true);
  });
});

describe('text from outside in the issue panel', () => {
  it('labels the card "Contains text from an outside email", boxes only the quoted span, and warns about sensitive data', async () => {
    const body = 'Dana Whitfield (Northwind) wrote on 18 Nov 2026: call me, the security code is 482913';
    const quoteStart = body.indexOf('call me');
    const s = await propose(setup.b, { ...commentProposal('ABC-123', body), textOrigin: { body: { origin: 'untrusted', quoted: [{ start: quoteStart, end: body.length }] } } });
    const session = openPanel(APPROVER);
    const card = await cardOf(session, s);
    expect(texts(card)).toEqual(expect.arrayContaining(['Contains text from an outside email', 'Looks like a one-time or security code (body): it never goes out without an approval.']));
    const quoted = findAll(card, (n) => n.props['testId'] === 'quoted-body');
    expect(quoted.map((q) => texts(q).filter((t) => !t.startsWith('Quoted from outside')).join(''))).toEqual([body.slice(quoteStart)]);
    expect(texts(card)).toContain(body.slice(0, quoteStart));
  });

  it('a facts-only comment carries no label and no quote', async () => {
    const facts = { senderDomain: 'northwind.example', receivedOn: '2026-11-18', issueKey: 'ABC-123', fromDate: '2026-11-27', toDate: '2026-12-04' };
    const body = 'Email from northwind.example on 18 Nov: the date for ABC-123 moves from 27 Nov to 4 Dec.';
    const s = await propose(setup.b, { ...commentProposal('ABC-123', body), textOrigin: { body: { origin: 'facts', template: 'date_moves', facts } } });
    const card = await cardOf(openPanel(APPROVER), s);
    expect(texts(card)).toContain(body);
    expect(hasText(card, 'Contains text from an outside email')).toBe(false);
    expect(findAll(card, (n) => n.props['testId'] === 'quoted-body')).toEqual([]);
  });
});
