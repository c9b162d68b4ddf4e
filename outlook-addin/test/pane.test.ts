import { AbortedError, ConflictError, TimeoutError, type BackendClient, type DecisionOptions, type RequestOptions } from '@pm-agent/backend-client';
import { payloadHash, type ApproveRequest, type EmailInput, type Suggestion, type Triage, type TriageEnvelope } from '@pm-agent/shared';
import { parseConfig } from '../src/auth/config';
import { Pane } from '../src/pane';
import { AUTO_TRIAGE_KEY } from '../src/prefs';
import { button, byTestId, elements, fakeDocument, FakeElement } from './support/fake-dom';
import { mockOffice, outlookItem, triage, type MockOffice } from './support/fixtures';

const CONFIG = parseConfig({
  endpoint: 'http://127.0.0.1:8787',
  region: 'local',
  auth: { mode: 'dev', tokenEndpoint: 'http://127.0.0.1:8787/v1/dev/token', stsEndpoint: 'http://127.0.0.1:8787/v1/sts', roleArn: 'arn:aws:iam::000000000000:role/pm-agent-outlook' },
  jiraBrowseUrl: 'https://site.atlassian.net/browse',
});

const PAT = { principal: 'outlook' as const, id: 'pat.morgan@example.com', name: 'Pat Morgan' };

/** A backend client double: records calls; triage answers when the test says so. */
function fakeClient() {
  const calls: Array<[string, unknown]> = [];
  const undone = new Set<string>();
  /** Set to make the next reopen refused as the backend refuses one (409 with the suggestion as it is). */
  const refuseReopen: { said?: string } = {};
  const pending: Array<{ email: EmailInput; signal: AbortSignal | undefined; resolve(v: TriageEnvelope): void }> = [];
  const client = {
    triage: (email: EmailInput, options?: RequestOptions) =>
      new Promise<TriageEnvelope>((resolve) => {
        calls.push(['triage', email.subject]);
        pending.push({ email, signal: options?.signal, resolve });
      }),
    getViewer: async () => ({ actor: { principal: 'outlook', id: 'pat.morgan@example.com' }, canApprove: true, paused: false, autonomyLevel: 'manual', holdDelayMinutes: 30 }),
    approveSuggestion: async (id: string, request: ApproveRequest): Promise<Suggestion> => {
      calls.push(['approve', { id, request }]);
      const s = triage().suggestions.find((x) => x.id === id)!;
      // As the backend: an email is handed to the person, anything else is approved to run.
      const state = s.actionType.startsWith('email_') ? 'handed_over' : 'approved';
      return { ...s, state, payload: request.payload ?? s.payload, decision: { kind: 'approved', by: { principal: 'outlook', id: 'pat.morgan@example.com', name: 'Pat Morgan' }, at: '2026-11-18T09:00:00.000Z', payloadHash: request.payloadHash } };
    },
    rejectSuggestion: async (id: string, request: { reason: string }): Promise<Suggestion> => {
      calls.push(['reject', { id, request }]);
      return { ...triage().suggestions.find((x) => x.id === id)!, state: 'rejected', version: 2, decision: { kind: 'rejected', by: PAT, at: '2026-11-18T09:00:00.000Z', reason: request.reason } };
    },
    closeOrReopen: async (id: string, action: string): Promise<Suggestion> => {
      calls.push([action, id]);
      const s = triage().suggestions.find((x) => x.id === id)!;
      if (refuseReopen.said) {
        const current = { ...s, state: 'rejected' as const, version: 2, decision: { kind: 'rejected' as const, by: PAT, at: '2026-11-18T09:00:00.000Z', reason: 'No.' } };
        throw new ConflictError({ operation: 'POST /v1/suggestions/{id}/reopen', status: 409, serverMessage: refuseReopen.said, current });
      }
      return { ...s, state: 'pending', version: 3, decision: null };
    },
    afterTheFact: async (id: string, request: { action: string }): Promise<Suggestion> => {
      calls.push([request.action, id]);
      undone.add(id);
      return { ...triage().suggestions.find((x) => x.id === id)!, state: 'undoing' };
    },
    getSuggestion: async (id: string): Promise<Suggestion> => {
      calls.push(['get', id]);
      const s = triage().suggestions.find((x) => x.id === id)!;
      if (undone.has(id)) return { ...s, state: 'undone', result: { ok: true, summary: 'The comment was removed from ABC-123.', at: '2026-11-18T09:06:00.000Z' } };
      return { ...s, state: 'executed', result: { ok: true, summary: 'Comment added to ABC-123.', at: '2026-11-18T09:01:00.000Z' } };
    },
  };
  return { client: client as unknown as BackendClient, calls, pending, refuseReopen };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

/**
 * Runs the checks until they pass (the pane hashes payloads with WebCrypto, which on a loaded
 * machine can take longer than settle's few turns); the deadline is only a backstop.
 */
async function eventually(check: () => void | Promise<void>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

async function startPane(mocked: MockOffice, stored: Record<string, string> = {}, now?: () => Date) {
  const { doc } = fakeDocument();
  const root = new FakeElement('main');
  const backend = fakeClient();
  const storage = { getItem: (k: string) => stored[k] ?? null, setItem: (k: string, v: string) => void (stored[k] = v) };
  const pane = new Pane({
    office: mocked.office,
    root: root as unknown as Element,
    document: doc,
    storage,
    pageUrl: 'http://127.0.0.1:8788/outlook/taskpane.html',
    loadConfig: async () => CONFIG,
    makeClient: () => backend.client,
    watchIntervalMs: 1,
    now,
  });
  await pane.start();
  await settle();
  return { pane, root, backend, stored };
}

/** Outlook selects another item: the mock's item changes and the registered handler runs. */
async function switchTo(mocked: MockOffice, item: Record<string, unknown> | null): Promise<void> {
  mocked.mock.context.mailbox.item = item;
  for (const handler of mocked.handlers) handler();
  await settle();
}

describe('the pane controller (office-addin-mock, fake DOM, backend double)', () => {
  test('shows the open email, triages on request, and shows the result', async () => {
    const { pane, root, backend } = await startPane(mockOffice(outlookItem()));
    expect(pane.kind).toBe('ready');
    expect(byTestId(root, 'email-subject')?.textContent).toBe('ABC-123: sandbox slips');
    button(root, 'Triage this email').fire('click');
    await settle();
    expect(byTestId(root, 'progress')).toBeDefined();
    backend.pending[0]!.resolve({ triage: triage(), cached: false });
    await settle();
    expect(pane.kind).toBe('result');
    expect(byTestId(root, 'category')?.textContent).toBe('A date, deadline or milestone moves');
  });

  test('ItemChanged: the pane follows the new item, cancels the triage in flight and drops its late answer', async () => {
    const mocked = mockOffice(outlookItem());
    const { pane, root, backend } = await startPane(mocked);
    expect(mocked.handlers).toHaveLength(1);
    button(root, 'Triage this email').fire('click');
    await settle();
    const first = backend.pending[0]!;
    await switchTo(mocked, outlookItem({ subject: 'Steering meeting moved', internetMessageId: '<m2@example.com>' }));
    expect(first.signal?.aborted).toBe(true);
    expect(pane.kind).toBe('ready');
    expect(byTestId(root, 'email-subject')?.textContent).toBe('Steering meeting moved');
    first.resolve({ triage: triage(), cached: false });
    await settle();
    expect(pane.kind).toBe('ready'); // the old email's result never appears
    expect(byTestId(root, 'result')).toBeUndefined();
  });

  test('ItemChanged with a null item shows "no email selected"; selecting one again reads it', async () => {
    const mocked = mockOffice(outlookItem());
    const { pane, root } = await startPane(mocked);
    await switchTo(mocked, null);
    expect(pane.kind).toBe('no-item');
    expect(byTestId(root, 'no-item')?.textContent).toBe('No email selected. Select an email to triage it.');
    await switchTo(mocked, outlookItem());
    expect(pane.kind).toBe('ready');
  });

  test('an item that cannot be triaged says why, with nothing of the previous email and no retry', async () => {
    const mocked = mockOffice(outlookItem());
    const { pane, root } = await startPane(mocked);
    await switchTo(mocked, outlookItem({ internetMessageId: '' }));
    expect(pane.kind).toBe('error');
    expect(byTestId(root, 'error')?.textContent).toMatch(/^This email cannot be triaged.*no Internet message ID/);
    expect(byTestId(root, 'email')).toBeUndefined();
    expect(() => button(root, 'Try again')).toThrow();
  });

  test('without Mailbox 1.5 (no pinning) no ItemChanged handler is registered', async () => {
    const mocked = mockOffice(outlookItem(), { mailbox15: false });
    await startPane(mocked);
    expect(mocked.handlers).toHaveLength(0);
  });

  test('outside Office (onReady with a null host) the pane says so and reads nothing', async () => {
    const { pane, root, backend } = await startPane(mockOffice(outlookItem(), { host: null }));
    expect(pane.kind).toBe('outside');
    expect(byTestId(root, 'outside')?.textContent).toMatch(/Open an email in Outlook/);
    expect(backend.calls).toEqual([]);
  });

  test('automatic triage, when turned on, runs for the open email and for each new one; the choice is remembered', async () => {
    const mocked = mockOffice(outlookItem());
    const { backend, stored } = await startPane(mocked, { [AUTO_TRIAGE_KEY]: 'on' });
    expect(backend.calls).toEqual([['triage', 'ABC-123: sandbox slips']]);
    await switchTo(mocked, outlookItem({ subject: 'Second', internetMessageId: '<m2@example.com>' }));
    expect(backend.calls.map(([op, arg]) => `${op}:${String(arg)}`)).toEqual(['triage:ABC-123: sandbox slips', 'triage:Second']);
    expect(stored[AUTO_TRIAGE_KEY]).toBe('on');
  });

  test('turning automatic triage on from the checkbox stores it and triages the open email', async () => {
    const { root, backend, stored } = await startPane(mockOffice(outlookItem()));
    const box = byTestId(root, 'auto-triage')!;
    box.checked = true;
    box.fire('change');
    await settle();
    expect(stored[AUTO_TRIAGE_KEY]).toBe('on');
    expect(backend.calls[0]).toEqual(['triage', 'ABC-123: sandbox slips']);
  });

  async function withResult(now?: () => Date) {
    const mocked = mockOffice(outlookItem());
    const started = await startPane(mocked, {}, now);
    button(started.root, 'Triage this email').fire('click');
    await settle();
    started.backend.pending[0]!.resolve({ triage: triage(), cached: false });
    await settle();
    const card = (type: string) => byTestId(started.root, `suggestion-${type}`)!;
    return { ...started, mocked, card };
  }

  test('Approve sends the hash of the payload shown, then follows the action until it is done', async () => {
    const { backend, card } = await withResult();
    button(card('jira_comment'), 'Approve').fire('click');
    const shown = triage().suggestions[0]!;
    const hash = await payloadHash(shown.payload);
    await eventually(() => {
      expect(backend.calls).toContainEqual(['approve', { id: shown.id, request: { payloadHash: hash } }]);
      expect(backend.calls).toContainEqual(['get', shown.id]);
      expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Done');
      expect(byTestId(card('jira_comment'), 'result')?.textContent).toBe('Comment added to ABC-123.');
    });
  });

  test('Edit then open as reply sends the edited payload and its hash, then opens the edited reply', async () => {
    const { backend, card, mocked } = await withResult();
    button(card('email_external'), 'Edit then open as reply').fire('click');
    const box = byTestId(card('email_external'), 'edit-text')!;
    expect(box.value).toBe('Hello Dana,\n\nThanks.');
    expect(box.focused).toBe(true);
    box.value = 'Hello Dana, noted.';
    box.fire('input');
    button(card('email_external'), 'Open my version as reply').fire('click');
    const edited = { to: ['dana@northwind.example'], subject: 'Re: Sandbox', body: 'Hello Dana, noted.' };
    const original = triage().suggestions[1]!;
    const hash = await payloadHash(edited);
    await eventually(() => {
      // basePayloadHash: the version the edit started from, so the backend refuses an edit of a stale view.
      expect(backend.calls).toContainEqual(['approve', { id: original.id, request: { payloadHash: hash, payload: edited, basePayloadHash: original.payloadHash } }]);
      expect((mocked.mock.context.mailbox.item as { replies?: string[] }).replies).toEqual(['<div>Hello Dana, noted.</div>']);
    });
  });

  test('issue 14 item 13: Escape in the edit box cancels the edit', async () => {
    const { card } = await withResult();
    button(card('jira_comment'), 'Edit then approve').fire('click');
    const box = byTestId(card('jira_comment'), 'edit-text')!;
    box.fire('keydown', { key: 'Escape' });
    expect(byTestId(card('jira_comment'), 'edit-text')).toBeUndefined();
    expect(button(card('jira_comment'), 'Approve')).toBeDefined();
  });

  test('Reject asks for a reason before it sends anything', async () => {
    const { backend, card } = await withResult();
    button(card('jira_comment'), 'Reject').fire('click');
    button(card('jira_comment'), 'Reject with this reason').fire('click');
    expect(byTestId(card('jira_comment'), 'card-problem')?.textContent).toBe('Say why you are rejecting it, in a few words.');
    expect(backend.calls.some(([op]) => op === 'reject')).toBe(false);
    const reason = byTestId(card('jira_comment'), 'reject-reason')!;
    reason.value = 'Already commented by hand.';
    reason.fire('input');
    button(card('jira_comment'), 'Reject with this reason').fire('click');
    await settle();
    expect(backend.calls).toContainEqual(['reject', { id: triage().suggestions[0]!.id, request: { reason: 'Already commented by hand.' } }]);
    expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Rejected');
  });

  const buttonLabels = (root: FakeElement) => elements(root).filter((e) => e.tagName === 'button').map((e) => e.textContent);

  async function rejectComment(card: (type: string) => FakeElement): Promise<void> {
    button(card('jira_comment'), 'Reject').fire('click');
    const reason = byTestId(card('jira_comment'), 'reject-reason')!;
    reason.value = 'Not now.';
    reason.fire('input');
    button(card('jira_comment'), 'Reject with this reason').fire('click');
    await eventually(() => expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Rejected'));
  }

  test('Reopen and Undo: within the undo window a rejected card can be reopened and an executed comment undone, and the card shows what followed', async () => {
    // Rejected at 09:00, done at 09:01 (the double's times); the viewer names no window, so the default 15 minutes.
    const { backend, card } = await withResult(() => new Date('2026-11-18T09:05:00.000Z'));
    const id = triage().suggestions[0]!.id;
    await rejectComment(card);
    button(card('jira_comment'), 'Reopen').fire('click');
    await eventually(() => {
      expect(backend.calls).toContainEqual(['reopen', id]);
      expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Waiting for approval');
      expect(byTestId(card('jira_comment'), 'card-note')?.textContent).toBe('Reopened: it waits for a decision again.');
    });
    expect(buttonLabels(card('jira_comment'))).not.toContain('Reopen');
    button(card('jira_comment'), 'Approve').fire('click');
    await eventually(() => expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Done'));
    const undo = button(card('jira_comment'), 'Undo')!;
    expect(undo.getAttribute('aria-label')).toBe('Undo: Comment on a Jira issue on ABC-123 (suggestion 1)');
    undo.fire('click');
    await eventually(() => {
      expect(backend.calls).toContainEqual(['undo', id]);
      expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Undone');
    });
    expect(buttonLabels(card('jira_comment'))).not.toContain('Undo');
  });

  test('Reopen and Undo are not offered past the undo window (the backend would refuse them)', async () => {
    const { card } = await withResult(() => new Date('2026-11-18T09:16:00.000Z'));
    await rejectComment(card);
    expect(buttonLabels(card('jira_comment'))).not.toContain('Reopen');
  });

  test('a reopen refused for the card as it is says why in the backend\'s words, not that the card changed', async () => {
    const { backend, card } = await withResult(() => new Date('2026-11-18T09:05:00.000Z'));
    await rejectComment(card);
    backend.refuseReopen.said = 'This suggestion came from an earlier triage of the email, and the email has been triaged again since, so it can no longer be reopened. Decide on the new triage’s suggestions instead.';
    button(card('jira_comment'), 'Reopen').fire('click');
    await eventually(() => expect(byTestId(card('jira_comment'), 'card-problem')?.textContent).toBe(backend.refuseReopen.said));
    expect(byTestId(card('jira_comment'), 'card-stale')).toBeUndefined();
    expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Rejected');
    // Pressing it again would get the same answer: it is not offered again.
    expect(buttonLabels(card('jira_comment'))).not.toContain('Reopen');
  });

  test('a Reopen on show goes away by itself when its window ends (the pane redraws then, keeping focus)', async () => {
    let clock = new Date('2026-11-18T09:14:59.000Z'); // rejected at 09:00:00, default 15-minute window
    const { card } = await withResult(() => clock);
    await rejectComment(card);
    expect(buttonLabels(card('jira_comment'))).toContain('Reopen');
    clock = new Date('2026-11-18T09:15:02.000Z');
    await eventually(() => expect(buttonLabels(card('jira_comment'))).not.toContain('Reopen'));
  });

  test('a just-rejected card offers Reopen even when this machine\'s clock runs behind the server\'s', async () => {
    // The backend recorded the rejection at 09:00:00; this pane's clock says 08:59:30.
    const { card } = await withResult(() => new Date('2026-11-18T08:59:30.000Z'));
    await rejectComment(card);
    expect(buttonLabels(card('jira_comment'))).toContain('Reopen');
  });

  test('a decision refused because someone else changed the card meanwhile shows the card as it is now, as a stale view', async () => {
    const { backend, card } = await withResult();
    const shown = triage().suggestions[0]!;
    const now = { ...shown, state: 'rejected' as const, version: shown.version + 1, decision: { kind: 'rejected' as const, by: { principal: 'forge' as const, id: '712020:sam', name: 'Sam Keller' }, at: '2026-11-18T09:00:00.000Z', reason: 'Done by hand.' } };
    (backend.client as unknown as { approveSuggestion: () => Promise<Suggestion> }).approveSuggestion = async () => {
      throw new ConflictError({ operation: 'POST /v1/suggestions/{id}/approve', status: 409, serverMessage: 'This suggestion is rejected, not pending.', current: now });
    };
    button(card('jira_comment'), 'Approve').fire('click');
    await eventually(() => expect(byTestId(card('jira_comment'), 'card-stale')?.textContent).toBe('Rejected by Sam Keller at 2026-11-18 09:00 UTC, before your decision reached it: yours was not recorded.'));
    expect(byTestId(card('jira_comment'), 'card-problem')).toBeUndefined();
    expect(byTestId(card('jira_comment'), 'suggestion-state')?.textContent).toBe('Rejected');
  });

  test('issue 14 item 1: "Open as reply" is the primary action; it records the hand-over, opens the reply form, and never fails', async () => {
    const { backend, card, mocked } = await withResult();
    const primary = elements(card('email_external')).find((e) => e.tagName === 'button' && e.getAttribute('class') === 'primary');
    expect(primary?.textContent).toBe('Open as reply');
    expect(elements(card('email_external')).some((e) => e.tagName === 'button' && e.textContent === 'Approve')).toBe(false);
    primary!.fire('click');
    const shown = triage().suggestions[1]!;
    const hash = await payloadHash(shown.payload);
    await eventually(() => {
      expect(backend.calls).toContainEqual(['approve', { id: shown.id, request: { payloadHash: hash } }]);
      expect(byTestId(card('email_external'), 'suggestion-state')?.textContent).toBe('Handed to a person to send');
    });
    expect(backend.calls.some(([op, id]) => op === 'get' && id === shown.id)).toBe(false); // nothing runs, so nothing to watch
    expect((mocked.mock.context.mailbox.item as { replies?: string[] }).replies).toEqual(['<div>Hello Dana,<br><br>Thanks.</div>']);
    expect(byTestId(card('email_external'), 'suggestion-state')?.textContent).toBe('Handed to a person to send');
    expect(byTestId(card('email_external'), 'card-note')?.textContent).toMatch(/You send it yourself; the agent never sends mail\./);
    expect(byTestId(card('email_external'), 'decision')?.textContent).toMatch(/^Handed over to send by Pat Morgan at/);
  });
  test('issue 14 item 6: Cancel while triaging stops the wait, says so in words, and Try again triages again', async () => {
    const { pane, root, backend } = await startPane(mockOffice(outlookItem()));
    button(root, 'Triage this email').fire('click');
    await settle();
    button(root, 'Cancel').fire('click');
    await settle();
    expect(backend.pending[0]!.signal?.aborted).toBe(true);
    expect(pane.kind).toBe('error');
    expect(byTestId(root, 'error')?.textContent).toMatch(/^You stopped waiting for the triage/);
    button(root, 'Try again').fire('click');
    await settle();
    backend.pending[1]!.resolve({ triage: triage(), cached: false });
    await settle();
    expect(pane.kind).toBe('result');
  });

  test('issue 14 item 6: a decision that gets no answer can be cancelled; Try again resends it under the same Idempotency-Key', async () => {
    const started = await withResult();
    const waits: Array<{ options: DecisionOptions | undefined; resolve(s: Suggestion): void; reject(e: unknown): void }> = [];
    const client = started.backend.client as unknown as { approveSuggestion: (id: string, r: ApproveRequest, o?: DecisionOptions) => Promise<Suggestion> };
    const answer = client.approveSuggestion;
    client.approveSuggestion = (id, r, o) =>
      new Promise<Suggestion>((resolve, reject) => {
        waits.push({ options: o, resolve, reject });
        o?.signal?.addEventListener('abort', () => reject(new AbortedError('POST approve')));
        if (waits.length === 2) void answer(id, r).then(resolve);
      });
    button(started.card('jira_comment'), 'Approve').fire('click');
    await eventually(() => expect(waits).toHaveLength(1));
    expect(waits[0]!.options?.timeoutMs).toBeGreaterThan(0); // one bounded wait
    expect(waits[0]!.options?.maxRetries).toBe(0);
    expect(byTestId(started.card('jira_comment'), 'card-waiting')).toBeDefined();
    button(started.card('jira_comment'), 'Cancel').fire('click');
    await settle();
    expect(waits[0]!.options?.signal?.aborted).toBe(true);
    const problem = byTestId(started.card('jira_comment'), 'card-problem')?.textContent ?? '';
    expect(problem).toMatch(/^You stopped waiting\. Your decision may or may not have reached/);
    expect(problem).not.toMatch(/ms\b|timeoutMs|HTTP|\b\d{3}\b/);
    button(started.card('jira_comment'), 'Try again').fire('click');
    await eventually(() => expect(byTestId(started.card('jira_comment'), 'suggestion-state')?.textContent).toBe('Done'));
    expect(waits[1]!.options?.idempotencyKey).toBe(waits[0]!.options?.idempotencyKey);
    expect(byTestId(started.card('jira_comment'), 'card-problem')).toBeUndefined();
  });

  test('issue 14 item 6: a decision that times out says so in words (no option names or numbers) and offers Try again', async () => {
    const started = await withResult();
    const client = started.backend.client as unknown as { approveSuggestion: () => Promise<Suggestion> };
    client.approveSuggestion = async () => {
      throw new TimeoutError({ operation: 'POST /v1/suggestions/x/approve', target: 'the backend at http://127.0.0.1:1', timeoutMs: 20_000 });
    };
    button(started.card('jira_comment'), 'Approve').fire('click');
    await eventually(() => expect(byTestId(started.card('jira_comment'), 'card-problem')).toBeDefined());
    const problem = byTestId(started.card('jira_comment'), 'card-problem')?.textContent ?? '';
    expect(problem).toBe('The PM agent service took too long. It did not answer in time. It may be busy: try again in a minute.');
    expect(button(started.card('jira_comment'), 'Try again')).toBeDefined();
  });
  test('issue 14 item 15: "Not suspicious" on a flagged email is recorded, and says its suggestions still need approval', async () => {
    const mocked = mockOffice(outlookItem());
    const started = await startPane(mocked);
    const marks: string[] = [];
    (started.backend.client as unknown as { markNotSuspicious: (k: string) => Promise<unknown> }).markNotSuspicious = async (k) => {
      marks.push(k);
      return { messageKey: k, markedBy: { principal: 'outlook', id: 'pat.morgan@example.com' }, at: '2026-12-01T10:00:00.000Z', effect: 'Recorded. Every suggestion from this email still needs an approval: a person’s judgement does not let text from outside run by itself.' };
    };
    button(started.root, 'Triage this email').fire('click');
    await settle();
    const signal = { kind: 'authority_claim', where: 'body', text: 'approved by the CEO', explanation: 'Claims an approval.' } as Triage['signals'][number];
    started.backend.pending[0]!.resolve({ triage: triage({ category: 'suspicious', signals: [signal] }), cached: false });
    await settle();
    expect(byTestId(started.root, 'section-signals')?.textContent).toMatch(/Its suggestions still need your approval/);
    button(started.root, 'Not suspicious').fire('click');
    await settle();
    expect(marks).toEqual([`msg_${'0'.repeat(32)}`]);
    expect(byTestId(started.root, 'review-note')?.textContent).toMatch(/^You marked this email not suspicious at .*still needs an approval/);
    expect(byTestId(started.root, 'not-suspicious')).toBeUndefined();
  });

  test('issue 14 item 15: "Re-triage" sits beside "Not suspicious"; a lost answer is resent under the same key, then the fresh result replaces the old', async () => {
    const started = await startPane(mockOffice(outlookItem()));
    const sent: Array<{ key: string; email: string; idempotencyKey: string | undefined }> = [];
    let fail = true;
    (started.backend.client as unknown as { retriage: BackendClient['retriage'] }).retriage = async (key, email, options) => {
      sent.push({ key, email: email.subject, idempotencyKey: options?.idempotencyKey });
      if (fail) throw new TimeoutError({ operation: 'POST /v1/triage/…/retriage', target: 'the backend', timeoutMs: 45_000 });
      return { triage: triage({ category: 'fyi', revision: 2, createdAt: '2026-12-01T10:05:00.000Z' }), superseded: ['sug_0000000000000000000001'] };
    };
    button(started.root, 'Triage this email').fire('click');
    await settle();
    const signal = { kind: 'authority_claim', where: 'body', text: 'approved by the CEO', explanation: 'Claims an approval.' } as Triage['signals'][number];
    started.backend.pending[0]!.resolve({ triage: triage({ category: 'suspicious', signals: [signal] }), cached: true });
    await settle();
    const signals = byTestId(started.root, 'section-signals')!;
    expect(button(signals, 'Not suspicious')).toBeDefined();
    expect(button(signals, 'Re-triage')).toBeDefined();

    button(started.root, 'Re-triage').fire('click');
    await settle();
    expect(byTestId(started.root, 'retriage-problem')?.textContent).toBe('The PM agent service took too long. It did not answer in time. It may be busy: try again in a minute.');
    fail = false;
    button(started.root, 'Re-triage').fire('click');
    await settle();
    expect(sent).toHaveLength(2);
    expect(sent[0]!.idempotencyKey).toBeTruthy();
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]).toMatchObject({ key: `msg_${'0'.repeat(32)}`, email: 'ABC-123: sandbox slips' });
    expect(byTestId(started.root, 'category')?.textContent).toBe('For information; nothing to do');
    expect(byTestId(started.root, 'retriage-note')?.textContent).toMatch(/^Triaged again at .*: this is the new result\. 1 earlier suggestion that was still waiting was replaced by these\./);
    // The fresh result is not flagged: no "Not suspicious", and "Re-triage" after the classifier line.
    expect(byTestId(started.root, 'not-suspicious')).toBeUndefined();
    expect(byTestId(started.root, 'retriage')).toBeDefined();
  });

  test('issue 14 item 15: an ordinary email offers no "Not suspicious"', async () => {
    const started = await startPane(mockOffice(outlookItem()));
    button(started.root, 'Triage this email').fire('click');
    await settle();
    started.backend.pending[0]!.resolve({ triage: triage(), cached: false });
    await settle();
    expect(byTestId(started.root, 'not-suspicious')).toBeUndefined();
  });
});
