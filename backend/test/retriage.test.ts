import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError, NotFoundError, RateLimitError, UnprocessableError, type BackendClient } from '@pm-agent/backend-client';
import type { EmailInput, RetriageResponse, Suggestion } from '@pm-agent/shared';
import { startMessagesApiDouble, toolUse, type MessagesApiDouble } from '@pm-agent/dev-stack/messages-api-double';
import { outlookClient } from './support/outlook';
import { jsonPost, startTestBackend, type TestBackend } from './support/local-backend';

/**
 * Issue item 15: "Re-triage". The mailbox owner asks for a fresh triage of the same email; the same
 * isolated pipeline runs (here Claude through the local Messages-API double, which counts calls);
 * the earlier result is kept, the new one is current, and suggestions still waiting from the
 * earlier one are superseded. Audited; idempotent with an Idempotency-Key.
 */
const KEY = 'test-key-for-the-local-double-only';
const DEADLINE = JSON.parse(readFileSync(join(__dirname, 'fixtures/emails/ordinary/deadline-moves-abc-123.json'), 'utf8')) as EmailInput;
const email = (id: string): EmailInput => ({ ...DEADLINE, internetMessageId: `<${id}@northwind.example>` });
const facts = {
  summary: 'Northwind says the sandbox will be ready on 4 December instead of 27 November.',
  asks: ['Confirm the new integration test window'],
  dates: [{ text: '4 December', date: '2026-12-04' }],
  people: [{ name: 'Dana Lee', email: 'dana.lee@northwind.example' }],
  issueKeys: ['ABC-123'],
};
const comment = (body: string) => ({ actionType: 'jira_comment', payload: { issueKey: 'ABC-123', body }, rationale: 'The date this issue depends on moved.' });
const classified = (...bodies: string[]) => toolUse({ category: 'deadline_change', priority: 'high', actions: bodies.map(comment) });

let double: MessagesApiDouble;
let b: TestBackend;
let pat: BackendClient;
let mallory: BackendClient;

beforeAll(async () => {
  double = await startMessagesApiDouble({ apiKey: KEY });
  b = await startTestBackend({ stages: true, modelEnv: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: double.url } });
  pat = outlookClient(b);
  mallory = outlookClient(b, { sub: 'mallory', name: 'Mallory', email: 'mallory@example.com' });
}, 90_000);
afterAll(async () => {
  await b?.stop();
  await double?.close();
});

const audit = async (action: string) => (await b.store.listAudit(0, 10_000)).filter((e) => e.action === action);
const stored = async (id: string) => (await b.store.getSuggestion(id))!;

describe('POST /v1/triage/{messageKey}/retriage', () => {
  it('runs the pipeline again: the new result is current, the earlier kept, waiting suggestions superseded, decided ones untouched; audited', async () => {
    const mail = email('retriage-main');
    double.script(toolUse(facts), classified('Sandbox moves to 4 December.', 'Please confirm the new test window.'));
    const first = (await pat.triage(mail)).triage;
    expect(first.suggestions.map((s) => s.state)).toEqual(['pending', 'pending']);
    const [toReject, stillWaiting] = first.suggestions as [Suggestion, Suggestion];
    await pat.rejectSuggestion(toReject.id, { reason: 'We already know.' });
    const rejected = await stored(toReject.id);
    const calls = double.requests.length;

    double.script(toolUse(facts), classified('Sandbox now ready on 4 December; tests move accordingly.'));
    const answer = await pat.retriage(first.messageKey, mail, { idempotencyKey: 'retriage-key-0001' });
    expect(double.requests.length).toBe(calls + 2);
    expect(answer.triage).toMatchObject({ messageKey: first.messageKey, revision: 2, classifier: 'claude', status: 'complete' });
    expect(answer.triage.suggestions).toHaveLength(1);
    expect(answer.triage.suggestions[0]!.state).toBe('pending');
    expect(answer.superseded).toEqual([stillWaiting.id]);

    // The waiting one can no longer be decided, and says why in words; the rejected one is as it was.
    const gone = await stored(stillWaiting.id);
    expect(gone).toMatchObject({ state: 'superseded', decision: { kind: 'superseded', by: { principal: 'outlook', id: 'pat.morgan@example.com' } } });
    expect(gone.decision!.reason).toMatch(/^Replaced by a fresh triage of the same email/);
    await expect(pat.approveSuggestion(gone.id, { payloadHash: gone.payloadHash })).rejects.toBeInstanceOf(ConflictError);
    expect(await stored(toReject.id)).toEqual(rejected);

    // The new one is current everywhere; the earlier one is kept.
    expect((await pat.getTriage(first.messageKey)).triage).toMatchObject({ revision: 2, suggestions: [{ id: answer.triage.suggestions[0]!.id }] });
    const again = await pat.triage(mail);
    expect(again).toMatchObject({ cached: true, triage: { revision: 2 } });
    expect(double.requests.length).toBe(calls + 2);
    const history = await b.store.listTriageRevisions(first.messageKey);
    expect(history.map((t) => [t.revision ?? 1, t.suggestions.length])).toEqual([
      [1, 2],
      [2, 1],
    ]);

    const [entry] = (await audit('triage.retriaged')).filter((e) => e.subject === first.messageKey);
    expect(entry).toMatchObject({ actor: { principal: 'outlook', id: 'pat.morgan@example.com' }, details: { internetMessageId: mail.internetMessageId, revision: 2, replaced: 1, superseded: [stillWaiting.id] } });
    expect(Date.parse(entry!.at)).toBeGreaterThanOrEqual(Date.parse(first.createdAt));
    expect((await audit('suggestion.superseded')).map((e) => e.subject)).toEqual([stillWaiting.id]);
  });

  it('a repeat with the same Idempotency-Key answers the same and calls the model no more, also when sent at once', async () => {
    const mail = email('retriage-idem');
    double.script(toolUse(facts), classified('First.'));
    const first = (await pat.triage(mail)).triage;

    double.script(toolUse(facts), classified('Second.'));
    const calls = double.requests.length;
    const [a, c] = await Promise.all([pat.retriage(first.messageKey, mail, { idempotencyKey: 'retriage-key-0002' }), pat.retriage(first.messageKey, mail, { idempotencyKey: 'retriage-key-0002' })]);
    const later = await pat.retriage(first.messageKey, mail, { idempotencyKey: 'retriage-key-0002' });
    expect(double.requests.length).toBe(calls + 2);
    expect(c).toEqual(a);
    expect(later).toEqual(a);
    expect((await audit('triage.retriaged')).filter((e) => e.subject === first.messageKey)).toHaveLength(1);
    expect(await b.store.listTriageRevisions(first.messageKey)).toHaveLength(2);

    // A new key is a new re-triage: revision 3, superseding revision 2's waiting suggestion.
    double.script(toolUse(facts), classified('Third.'));
    const third: RetriageResponse = await pat.retriage(first.messageKey, mail, { idempotencyKey: 'retriage-key-0003' });
    expect(third.triage.revision).toBe(3);
    expect(third.superseded).toEqual(a.triage.suggestions.map((s) => s.id));
    // The first triage's suggestion was superseded by revision 2 already, and is not counted twice.
    expect((await audit('suggestion.superseded')).filter((e) => e.subject === first.suggestions[0]!.id)).toHaveLength(1);
  });

  it('each suggestion records which triage proposed it; one reopened while the re-triage decides is superseded with the rest; one of an earlier triage cannot be reopened after it', async () => {
    const mail = email('retriage-reopen');
    double.script(toolUse(facts), classified('One.', 'Two.'));
    const first = (await pat.triage(mail)).triage;
    expect(first.suggestions.map((s) => s.triage)).toEqual([1, 1].map((revision) => ({ messageKey: first.messageKey, revision })));
    const [reopened, keptClosed] = first.suggestions as [Suggestion, Suggestion];
    for (const s of [reopened, keptClosed]) await pat.rejectSuggestion(s.id, { reason: 'Not now.' });

    // The person reopens one just after the re-triage has read it as rejected, before it commits.
    const store = b.store;
    const read = store.getSuggestion.bind(store);
    let reopenedMeanwhile = false;
    store.getSuggestion = async (id: string) => {
      const found = await read(id);
      if (id === reopened.id && !reopenedMeanwhile && found?.state === 'rejected') {
        reopenedMeanwhile = true;
        await pat.closeOrReopen(id, 'reopen');
      }
      return found;
    };
    let answer: RetriageResponse;
    try {
      double.script(toolUse(facts), classified('Both, said once.'));
      answer = await pat.retriage(first.messageKey, mail);
    } finally {
      store.getSuggestion = read;
    }
    expect(reopenedMeanwhile).toBe(true);
    expect(answer.superseded).toEqual([reopened.id]);
    expect(await stored(reopened.id)).toMatchObject({ state: 'superseded' });
    expect(answer.triage.suggestions.map((s) => s.triage)).toEqual([{ messageKey: first.messageKey, revision: 2 }]);

    // The other stays rejected, and cannot come back beside the new set: the words say what to do instead.
    const closed = await stored(keptClosed.id);
    const refused = await pat.closeOrReopen(keptClosed.id, 'reopen').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as Error).message).toMatch(/triaged again since.*Decide on the new triage’s suggestions instead/);
    expect(await stored(keptClosed.id)).toEqual(closed);
  });

  it('another mailbox, another email, an unknown key, the Jira app and the agent are refused, with no model call and nothing recorded', async () => {
    const mail = email('retriage-refused');
    double.script(toolUse(facts), classified('Only once.'));
    const first = (await pat.triage(mail)).triage;
    const calls = double.requests.length;
    const entries = (await b.store.listAudit(0, 10_000)).length;

    // Mallory, with Pat's key and Pat's email: answered like a missing triage.
    await expect(mallory.retriage(first.messageKey, mail)).rejects.toBeInstanceOf(NotFoundError);
    // Mallory, with her own copy of the email under Pat's key: the same.
    double.script(toolUse(facts), classified('Mallory.'));
    const mine = (await mallory.triage(mail)).triage;
    expect(mine.messageKey).not.toBe(first.messageKey);
    const afterMallory = double.requests.length;
    await expect(mallory.retriage(first.messageKey, mail)).rejects.toBeInstanceOf(NotFoundError);
    // Pat, with another email under this key: refused, nothing read.
    await expect(pat.retriage(first.messageKey, { ...mail, subject: 'Something else' })).rejects.toBeInstanceOf(UnprocessableError);
    await expect(pat.retriage(`msg_${'0'.repeat(32)}`, mail)).rejects.toBeInstanceOf(NotFoundError);
    const forge = await b.forge(`/v1/triage/${first.messageKey}/retriage`, jsonPost(mail));
    expect(forge.status).toBe(403);
    const agent = await b.call(b.agent, `/v1/triage/${first.messageKey}/retriage`, jsonPost(mail));
    expect(agent.status).toBe(403);
    const unsigned = await fetch(`${b.url}/v1/triage/${first.messageKey}/retriage`, jsonPost(mail));
    expect(unsigned.status).toBe(403);

    expect(double.requests.length).toBe(afterMallory);
    expect(afterMallory).toBe(calls + 2); // Mallory's own triage only
    expect((await b.store.getTriage(first.messageKey))!.revision ?? 1).toBe(1);
    expect((await b.store.listAudit(0, 10_000)).slice(entries).map((e) => e.action)).not.toContain('triage.retriaged');
  });
});

describe('re-triage and the per-caller rate limit', () => {
  let limited: TestBackend;
  afterAll(() => limited?.stop());

  it('draws on the same bucket as triage', async () => {
    limited = await startTestBackend({ stages: true, modelEnv: { PM_AGENT_TRIAGE_BURST: '2', PM_AGENT_TRIAGE_PER_MINUTE: '1' } });
    const client = outlookClient(limited);
    const mail = email('retriage-rate');
    const first = (await client.triage(mail)).triage;
    expect((await client.retriage(first.messageKey, mail)).triage.revision).toBe(2);
    await expect(client.retriage(first.messageKey, mail)).rejects.toBeInstanceOf(RateLimitError);
    expect(await limited.store.listTriageRevisions(first.messageKey)).toHaveLength(2);
  }, 90_000);
});
