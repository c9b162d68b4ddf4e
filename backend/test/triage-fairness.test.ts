import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RateLimitError } from '@pm-agent/backend-client';
import type { EmailInput } from '@pm-agent/shared';
import { outlookClient } from './support/outlook';
import { startTestBackend, type TestBackend } from './support/local-backend';
import { until } from './support/until';

/**
 * One caller cannot stall triage for everyone: big emails are sanitised in their own lane, so a
 * one-line email is answered while two ~5.9 MB HTML emails are still being read; a caller over
 * their rate gets 429 with Retry-After while others carry on; and an email that takes longer to
 * read than the sanitise budget becomes "needs review" instead of holding the stage.
 */
const deadline = () => JSON.parse(readFileSync(join(__dirname, 'fixtures/emails/ordinary/deadline-moves-abc-123.json'), 'utf8')) as EmailInput;
const big = (n: number): EmailInput => {
  const bodyHtml = `<html><body>${'<div><p>Status is <b>fine</b>. </p></div>'.repeat(145_000)}</body></html>`;
  return { ...deadline(), internetMessageId: `<big-${n}-${Date.now()}@northwind.example>`, subject: `Big report ${n}`, bodyHtml };
};

describe('small emails are not queued behind big ones; callers are rate limited', () => {
  let b: TestBackend;
  beforeAll(async () => (b = await startTestBackend({ stages: true, modelEnv: { PM_AGENT_TRIAGE_BURST: '3', PM_AGENT_TRIAGE_PER_MINUTE: '1' } })), 60_000);
  afterAll(() => b.stop());

  it('a one-line triage completes while two ~5.9 MB HTML triages are in flight', async () => {
    const mallory = outlookClient(b, { sub: 'mallory', name: 'Mallory', email: 'mallory@example.com' });
    const pat = outlookClient(b);
    const first = big(1);
    expect(first.bodyHtml!.length).toBeGreaterThan(5_800_000);
    expect(first.bodyHtml!.length).toBeLessThan(6_000_000);
    const done: string[] = [];
    const bigs = [first, big(2)].map((e, i) => mallory.triage(e).then(() => done.push(`big${i}`), () => done.push(`big${i} stopped`)));
    await until('both big emails to reach the sanitise stage', async () => b.runner!.inFlight('sanitise_large') + b.runner!.inFlight('sanitise') >= 2, 60_000);

    const small = await pat.triage({ ...deadline(), internetMessageId: `<one-line-${Date.now()}@northwind.example>`, bodyHtml: undefined, bodyText: 'Sandbox moves to 4 December, see ABC-123.' });
    expect(small.triage.status).toBe('complete');
    expect(done).toEqual([]); // neither big one has finished
    expect(b.runner!.inFlight('sanitise_large')).toBeGreaterThanOrEqual(1);
    void Promise.allSettled(bigs);
  }, 120_000);

  it('a caller over their triage rate gets 429 with Retry-After; another caller is not affected', async () => {
    const riley = outlookClient(b, { sub: 'riley', name: 'Riley', email: 'riley@example.com' });
    const email = (i: number): EmailInput => ({ ...deadline(), internetMessageId: `<rate-${i}-${Date.now()}@northwind.example>`, bodyHtml: undefined, bodyText: `Note ${i}.` });
    for (let i = 0; i < 3; i++) await riley.triage(email(i));
    const over = await riley.triage(email(3)).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(RateLimitError);
    expect((over as RateLimitError).status).toBe(429);
    expect((over as RateLimitError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
    const other = outlookClient(b, { sub: 'sam', name: 'Sam', email: 'sam@example.com' });
    expect((await other.triage(email(4))).triage.status).toBe('complete');
  }, 60_000);
});

describe('the sanitise time budget', () => {
  let b: TestBackend;
  beforeAll(async () => (b = await startTestBackend({ stages: true, modelEnv: { PM_AGENT_SANITISE_BUDGET_MS: '1000' } })), 60_000);
  afterAll(() => b.stop());

  it('an email that takes longer to read than the budget is "needs review", saying why, and the stage keeps serving', async () => {
    const pat = outlookClient(b);
    const { triage } = await pat.triage(big(3));
    expect(triage.status).toBe('needs_review');
    expect(triage.statusReason).toMatch(/sanitise time budget \(1000 ms\)/);
    const small = await pat.triage({ ...deadline(), internetMessageId: `<after-${Date.now()}@northwind.example>` });
    expect(small.triage.status).toBe('complete');
  }, 120_000);
});
