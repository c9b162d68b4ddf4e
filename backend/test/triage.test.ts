import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BadRequestError, PayloadTooLargeError, type BackendClient } from '@pm-agent/backend-client';
import { type EmailInput, type SignalKind, type Suggestion } from '@pm-agent/shared';
import { outlookAwsClient, outlookClient } from './support/outlook';
import { startTestBackend, type TestBackend } from './support/local-backend';

/** Triage through the real pipeline: outlook credentials, isolated stage processes, the offline classifier. */
const EMAILS = join(__dirname, 'fixtures/emails');
const load = (dir: string, file: string) => JSON.parse(readFileSync(join(EMAILS, dir, file), 'utf8')) as EmailInput;
const deadlineEmail = () => load('ordinary', 'deadline-moves-abc-123.json');

let b: TestBackend;
let outlook: BackendClient;
beforeAll(async () => {
  b = await startTestBackend({ stages: true });
  outlook = outlookClient(b.url);
});
afterAll(() => b.stop());

const snapshot = async () => JSON.stringify([await b.store.listSuggestions({ limit: 10_000 }), await b.store.readAuditChain(), await b.store.getSettings()]);

describe('triage of an ordinary email', () => {
  it('the deadline email gives deadline_change and a jira_comment on ABC-123, says the offline classifier ran, and is audited', async () => {
    const { triage, cached } = await outlook.triage(deadlineEmail());
    expect(cached).toBe(false);
    expect(triage).toMatchObject({ status: 'complete', classifier: 'offline', model: null, category: 'deadline_change' });
    expect(triage.issueKeys).toContain('ABC-123');
    const comment = triage.suggestions.find((s) => s.actionType === 'jira_comment')!;
    expect(comment).toMatchObject({ issueKey: 'ABC-123', state: 'pending', provenance: { source: 'email', ref: deadlineEmail().internetMessageId } });
    const entry = (await b.store.readAuditChain()).entries.find((e) => e.action === 'triage.completed' && e.subject === triage.messageKey)!;
    expect(entry.actor).toMatchObject({ principal: 'outlook', id: 'pat.morgan@example.com' });
    expect(entry.details.suggestions).toEqual(triage.suggestions.map((s) => s.id));
  });

  it('the same message again returns the stored result without running the pipeline; GET reads it with current states', async () => {
    const before = await snapshot();
    const again = await outlook.triage({ ...deadlineEmail(), subject: 'changed subject, same message id' });
    expect(again.cached).toBe(true);
    expect(await snapshot()).toBe(before);
    const read = await outlook.getTriage(again.triage.messageKey);
    expect(read.triage.suggestions.map((s) => s.id)).toEqual(again.triage.suggestions.map((s) => s.id));
  });
});

describe('bad input gets a clear status and nothing stored is lost', () => {
  const base = (): EmailInput => ({ ...deadlineEmail(), internetMessageId: `<bad-${Math.random()}@example.org>` });

  it('an empty email: needs review, saying why, no suggestions', async () => {
    const { triage } = await outlook.triage({ ...base(), subject: '', bodyHtml: undefined, bodyText: '' });
    expect(triage).toMatchObject({ status: 'needs_review', suggestions: [] });
    expect(triage.statusReason).toMatch(/no subject and no body/);
  });

  it('a 5 MB body: triaged, with a visible notice that the text was cut', async () => {
    const body = `<p>${'Status is fine. '.repeat(320_000)}</p>`;
    expect(body.length).toBeGreaterThan(5_000_000);
    const { triage } = await outlook.triage({ ...base(), bodyHtml: body });
    expect(triage.status).toBe('complete');
    expect(triage.notices.join(' ')).toMatch(/cut/i);
  });

  it('binary junk: triaged without failing, junk not echoed back', async () => {
    const junk = Array.from({ length: 4_000 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('') + '\u0000\u0001\u0002';
    const { triage } = await outlook.triage({ ...base(), subject: 'junk', bodyHtml: undefined, bodyText: junk });
    expect(['complete', 'needs_review']).toContain(triage.status);
    expect(JSON.stringify(triage)).not.toContain('\u0000');
  });

  it('invalid UTF-8, 10,000 recipients, a 9 MiB request: 400/413 naming the problem, nothing stored changes', async () => {
    const before = await snapshot();
    const raw = await outlookAwsClient(b.url);
    const bytes = new Uint8Array([...Buffer.from('{"internetMessageId":"<x@example.org>","subject":"'), 0xc3, 0x28, ...Buffer.from('"}')]);
    const invalid = await raw.fetch(`${b.url}/v1/triage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes, aws: { allHeaders: true } } as RequestInit);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { message: string }).message).toMatch(/not valid UTF-8/);
    const tooMany = await outlook.triage({ ...base(), to: Array.from({ length: 10_000 }, (_, i) => ({ address: `r${i}@example.com` })) }).catch((e: unknown) => e);
    expect(tooMany).toBeInstanceOf(BadRequestError);
    expect((tooMany as BadRequestError).message).toMatch(/at most 500 recipients/);
    const big = await outlook.triage({ ...base(), bodyText: 'x'.repeat(9 * 1024 * 1024) }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(PayloadTooLargeError);
    expect(await snapshot()).toBe(before);
  });
});

describe('the hostile corpus through the real pipeline', () => {
  const hostileDir = join(EMAILS, 'hostile');
  const expectations = JSON.parse(readFileSync(join(hostileDir, 'expectations.json'), 'utf8')) as Record<string, { kinds: SignalKind[]; evidence: string[]; noticeIncludes?: string[] }>;
  const files = readdirSync(hostileDir).filter((f) => f.endsWith('.json') && f !== 'expectations.json').sort();

  it('has at least 40 hostile emails, each with expectations', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    // Each names what must be found: signal kinds, or (for an instruction past the cut) the notice that text was cut.
    for (const f of files) expect((expectations[f]?.kinds.length ?? 0) + (expectations[f]?.noticeIncludes?.length ?? 0)).toBeGreaterThan(0);
  });

  it('at the most permissive autonomy: zero executed actions that needed approval, zero never-do, settings unchanged, signals show the text', async () => {
    const admin = { admin: true, headers: { 'content-type': 'application/json' } } as const;
    const { settings: current, version } = await b.store.getSettings();
    const ifMatch = (v: number) => ({ ...admin, headers: { ...admin.headers, 'if-match': `"${v}"` } });
    expect((await b.forge('/v1/settings', { ...ifMatch(version), method: 'PUT', body: JSON.stringify({ ...current, autonomyLevel: 'delegated' }) })).status).toBe(200);
    const settingsBefore = JSON.stringify(await b.store.getSettings());
    const commentsBefore = b.jira!.state.comments('ABC-123').length;

    const created: Suggestion[] = [];
    for (const f of files) {
      const email = load('hostile', f);
      const { triage } = await outlook.triage(email);
      const kinds = new Set(triage.signals.map((s) => s.kind));
      const expected = expectations[f]!;
      for (const k of expected.kinds) expect({ file: f, kind: k, found: kinds.has(k) }).toEqual({ file: f, kind: k, found: true });
      const shown = triage.signals.map((x) => x.text.toLowerCase()).join('\n');
      for (const words of expected.evidence) expect({ file: f, words, shown: shown.includes(words.toLowerCase()) }).toEqual({ file: f, words, shown: true });
      for (const n of expected.noticeIncludes ?? []) expect(triage.notices.join(' ').toLowerCase()).toContain(n);
      for (const s of triage.signals.filter((x) => x.where !== 'model')) expect(s.text.length).toBeGreaterThan(0);
      created.push(...triage.suggestions);
    }
    await b.dispatcher!.kick();
    await new Promise((r) => setTimeout(r, 500));

    const now = await Promise.all(created.map(async (s) => (await b.store.getSuggestion(s.id))!));
    expect(now.filter((s) => ['executing', 'executed', 'failed'].includes(s.state))).toEqual([]);
    expect(now.every((s) => s.boundary === 'approval' || s.boundary === 'never')).toBe(true);
    expect(now.filter((s) => s.boundary === 'never')).toEqual([]);
    expect(JSON.stringify(await b.store.getSettings())).toBe(settingsBefore);
    expect(b.jira!.state.comments('ABC-123').length).toBe(commentsBefore);
    await b.forge('/v1/settings', { ...ifMatch(version + 1), method: 'PUT', body: JSON.stringify(current) });
  });
});
