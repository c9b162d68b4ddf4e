import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestError, ConflictError, NotFoundError, UnprocessableError, type BackendClient } from '@pm-agent/backend-client';
import type { EmailInput, Triage } from '@pm-agent/shared';
import { outlookClient } from './support/outlook';
import { startTestBackend, type TestBackend } from './support/local-backend';

/**
 * Issue 14 item 15: "Not suspicious" is the mailbox owner's audited judgement (who, when, which
 * email). It changes no floor: text from outside never runs without a person, so every suggestion
 * from the email still needs an approval afterwards.
 */
const fixture = (dir: string, name: string) => JSON.parse(readFileSync(join(__dirname, 'fixtures/emails', dir, `${name}.json`), 'utf8')) as EmailInput;

let b: TestBackend;
let pat: BackendClient;
let mallory: BackendClient;
let flagged: Triage;
let ordinary: Triage;
beforeAll(async () => {
  b = await startTestBackend({ stages: true });
  pat = outlookClient(b);
  mallory = outlookClient(b, { sub: 'mallory', name: 'Mallory', email: 'mallory@example.com' });
  flagged = (await pat.triage(fixture('hostile', 'add-approver'))).triage;
  ordinary = (await pat.triage(fixture('ordinary', 'meeting-reschedule'))).triage;
}, 90_000);
afterAll(() => b.stop());

const audited = async () => (await b.store.listAudit(0, 1000)).filter((e) => e.action === 'triage.marked_not_suspicious');

describe('POST /v1/triage/{messageKey}/not-suspicious', () => {
  it('the fixture is flagged (else the test proves nothing)', () => {
    expect(flagged.category === 'suspicious' || flagged.signals.length > 0).toBe(true);
  });

  it('the owner marks it: audited with who, when and which email; every suggestion still needs approval', async () => {
    const before = await Promise.all(flagged.suggestions.map((s) => b.store.getSuggestion(s.id)));
    const answer = await pat.markNotSuspicious(flagged.messageKey, { reason: 'Dana really asked for this.' });
    expect(answer.markedBy).toMatchObject({ principal: 'outlook', id: 'pat.morgan@example.com' });
    expect(answer.effect).toMatch(/still needs an approval/);
    const [entry] = await audited();
    expect(entry).toMatchObject({ actor: { principal: 'outlook', id: 'pat.morgan@example.com' }, subject: flagged.messageKey, details: { internetMessageId: flagged.internetMessageId, reason: 'Dana really asked for this.' } });
    // Nothing about the suggestions changed: same versions, same boundaries, same states.
    const after = await Promise.all(flagged.suggestions.map((s) => b.store.getSuggestion(s.id)));
    expect(after).toEqual(before);
    for (const s of after) expect(s!.state === 'pending' || s!.state === 'rejected' || s!.state === 'expired').toBe(true);
  });

  it('a retried mark with the same Idempotency-Key is recorded once and answered as the first time; a new key records again', async () => {
    const n = (await audited()).length;
    const first = await pat.markNotSuspicious(flagged.messageKey, { reason: 'retried' }, { idempotencyKey: 'ns-retry-0001' });
    const again = await pat.markNotSuspicious(flagged.messageKey, { reason: 'retried' }, { idempotencyKey: 'ns-retry-0001' });
    expect(again).toEqual(first);
    expect((await audited()).length).toBe(n + 1);
    // The same key for a different request is refused, not replayed.
    await expect(pat.markNotSuspicious(flagged.messageKey, { reason: 'something else' }, { idempotencyKey: 'ns-retry-0001' })).rejects.toBeInstanceOf(UnprocessableError);
    await pat.markNotSuspicious(flagged.messageKey, { reason: 'retried' }, { idempotencyKey: 'ns-retry-0002' });
    expect((await audited()).length).toBe(n + 2);
  });

  it('the client retries a mark whose answer was lost with the same key: one entry', async () => {
    const n = (await audited()).length;
    let calls = 0;
    const keys: Array<string | null> = [];
    // The first answer is lost on the way back (the backend did record it): the client tries again.
    const lossy = outlookClient(b, undefined, {
      maxRetries: 1,
      backoff: { initialDelayMs: 1, maxDelayMs: 1 },
      fetch: async (input, init) => {
        keys.push(new Headers(init?.headers).get('idempotency-key'));
        const res = await fetch(input, init);
        if (++calls === 1) throw new TypeError('fetch failed: the connection was reset');
        return res;
      },
    });
    const answer = await lossy.markNotSuspicious(flagged.messageKey, { reason: 'lossy network' });
    expect(calls).toBe(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(answer.effect).toMatch(/still needs an approval/);
    expect((await audited()).filter((e) => (e.details as { reason?: string }).reason === 'lossy network')).toHaveLength(1);
    expect((await audited()).length).toBe(n + 1);
  });

  it('another mailbox cannot mark it (answered as missing), and nothing is audited', async () => {
    const n = (await audited()).length;
    await expect(mallory.markNotSuspicious(flagged.messageKey)).rejects.toBeInstanceOf(NotFoundError);
    expect((await audited()).length).toBe(n);
  });

  it('the Jira app and the agent may not call it at all', async () => {
    const n = (await audited()).length;
    const forge = await b.forge(`/v1/triage/${flagged.messageKey}/not-suspicious`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(forge.status).toBe(403);
    const agent = await b.agent.fetch(`${b.url}/v1/triage/${flagged.messageKey}/not-suspicious`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', aws: { allHeaders: true } } as RequestInit);
    expect(agent.status).toBe(403);
    expect((await audited()).length).toBe(n);
  });

  it('unsigned is refused; an unknown key, an ordinary email, unknown fields and a huge reason are refused', async () => {
    const unsigned = await fetch(`${b.url}/v1/triage/${flagged.messageKey}/not-suspicious`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unsigned.status).toBe(403);
    await expect(pat.markNotSuspicious(`msg_${'0'.repeat(32)}`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(pat.markNotSuspicious(ordinary.messageKey)).rejects.toBeInstanceOf(ConflictError);
    await expect(pat.markNotSuspicious(flagged.messageKey, { reason: 'x'.repeat(501) })).rejects.toBeInstanceOf(BadRequestError);
    await expect(pat.markNotSuspicious(flagged.messageKey, { reason: 'ok', approve: true } as never)).rejects.toBeInstanceOf(BadRequestError);
  });
});
