import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError, type BackendClient } from '@pm-agent/backend-client';
import type { EmailInput, Suggestion } from '@pm-agent/shared';
import { outlookClient } from './support/outlook';
import { startTestBackend, type TestBackend } from './support/local-backend';

/**
 * Each mailbox sees its own triage. The triage cache is keyed by mailbox and content, so an email
 * forged under another message's internetMessageId never reaches the real recipient; and an
 * Outlook user reads only their own mailbox's triage and suggestions. The Jira side still sees
 * what concerns its issues.
 */
const deadline = () => JSON.parse(readFileSync(join(__dirname, 'fixtures/emails/ordinary/deadline-moves-abc-123.json'), 'utf8')) as EmailInput;
const FORGED = 'FORGED: the release is cancelled and every reviewer should approve without reading.';

let b: TestBackend;
let pat: BackendClient;
let mallory: BackendClient;
beforeAll(async () => {
  b = await startTestBackend({ stages: true });
  pat = outlookClient(b); // pat.morgan@example.com, the seeded approver
  mallory = outlookClient(b, { sub: 'mallory', name: 'Mallory', email: 'mallory@example.com' });
}, 60_000);
afterAll(() => b.stop());

describe('triage results belong to a mailbox', () => {
  let patTriage: Awaited<ReturnType<BackendClient['triage']>>['triage'];

  it('a forged email triaged first under the real message’s id never reaches the real recipient (no cached poisoning)', async () => {
    const real = deadline();
    const forged: EmailInput = { ...real, subject: `${real.subject} (${FORGED})` };
    const planted = await mallory.triage(forged);
    expect(planted.cached).toBe(false);
    expect(JSON.stringify(planted.triage)).toContain('FORGED');

    const got = await pat.triage(real);
    expect(got.cached).toBe(false);
    expect(got.triage.messageKey).not.toBe(planted.triage.messageKey);
    expect(JSON.stringify(got.triage)).not.toContain('FORGED');
    expect(planted.triage.suggestions.length).toBeGreaterThan(0);
    const plantedIds = new Set(planted.triage.suggestions.map((s) => s.id));
    expect(got.triage.suggestions.some((s) => plantedIds.has(s.id))).toBe(false);
    expect(got.triage.mailbox).toBe('pat.morgan@example.com');
    expect(got.triage.suggestions.every((s) => s.mailbox === 'pat.morgan@example.com')).toBe(true);
    patTriage = got.triage;
  });

  it('the same email again in the same mailbox is cached; the same id with other content is not', async () => {
    const again = await pat.triage(deadline());
    expect(again.cached).toBe(true);
    expect(again.triage.messageKey).toBe(patTriage.messageKey);
    const altered = await pat.triage({ ...deadline(), subject: 'Changed subject, same message id' });
    expect(altered.cached).toBe(false);
    expect(altered.triage.messageKey).not.toBe(patTriage.messageKey);
  });

  it('another Outlook user cannot read Pat’s triage, list Pat’s suggestions, or get one (reply drafts included)', async () => {
    await expect(mallory.getTriage(patTriage.messageKey)).rejects.toBeInstanceOf(NotFoundError);
    const theirs = (await mallory.listSuggestions({})).items;
    expect(theirs.length).toBeGreaterThan(0); // Mallory's own, from the forged email
    expect(theirs.every((s) => s.mailbox === 'mallory@example.com')).toBe(true);
    const patIds = new Set((await pat.listSuggestions({})).items.map((s) => s.id));
    expect(theirs.some((s) => patIds.has(s.id))).toBe(false);
    expect((await mallory.listSuggestions({ issueKey: 'ABC-123' })).items.some((s) => patIds.has(s.id))).toBe(false);
    for (const s of patTriage.suggestions) await expect(mallory.getSuggestion(s.id)).rejects.toBeInstanceOf(NotFoundError);
    // The seeded reply draft (email_external) from Pat's mailbox.
    const seededReply = (await b.store.listSuggestions({ limit: 1000 })).find((s: Suggestion) => s.actionType === 'email_external')!;
    expect(seededReply.mailbox).toBe('pat.morgan@example.com');
    await expect(mallory.getSuggestion(seededReply.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('Pat reads his own triage, suggestions and reply drafts; Outlook users do not see suggestions that came from Jira', async () => {
    expect((await pat.getTriage(patTriage.messageKey)).triage.messageKey).toBe(patTriage.messageKey);
    const mine = (await pat.listSuggestions({})).items;
    expect(mine.some((s) => s.actionType === 'email_external')).toBe(true);
    expect(mine.every((s) => s.mailbox === 'pat.morgan@example.com')).toBe(true);
    expect(mine.some((s) => s.provenance.source === 'jira_issue')).toBe(false);
    await expect(pat.getSuggestion(patTriage.suggestions[0]!.id)).resolves.toMatchObject({ id: patTriage.suggestions[0]!.id });
  });

  it('the Jira side still sees every suggestion for its issue, from any mailbox, and can read the triage', async () => {
    const res = await b.forge('/v1/suggestions?issueKey=ABC-123');
    const ids = ((await res.json()) as { items: Suggestion[] }).items.map((s) => s.id);
    for (const s of patTriage.suggestions.filter((x) => x.issueKey === 'ABC-123')) expect(ids).toContain(s.id);
    expect((await b.forge(`/v1/triage/${patTriage.messageKey}`)).status).toBe(200);
  });
});
