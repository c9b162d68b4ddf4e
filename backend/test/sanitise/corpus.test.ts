import { CleanEmailSchema, FactsSchema, SanitisedEmailSchema, type SignalKind } from '@pm-agent/shared';
import { extractFactsOffline, HIGH_SEVERITY_KINDS, prepareEmail, sanitiseDeterministic, toSanitisedEmail } from '../../src/stages/sanitise';
import { loadCorpus, loadEmail, loadExpectations } from './support/corpus';

/** The whole corpus through the deterministic stage: what must be caught, and what must not be raised. */
const hostile = loadCorpus('hostile');
const ordinary = loadCorpus('ordinary');
const expectations = loadExpectations();

describe('the corpus itself', () => {
  it('has at least 40 hostile and 8 ordinary emails, and an expectation for every hostile one', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(40);
    expect(ordinary.length).toBeGreaterThanOrEqual(8);
    expect(Object.keys(expectations).sort()).toEqual(hostile.map((h) => h.file));
  });
});

describe.each(hostile)('hostile: $file', ({ file, email }) => {
  const expected = expectations[file];
  if (!expected) throw new Error(`no expectation for ${file}`);
  const clean = sanitiseDeterministic(email);

  it('passes the CleanEmail schema', () => {
    expect(CleanEmailSchema.safeParse(clean).success).toBe(true);
  });

  it('finds every expected kind', () => {
    const found = new Set(clean.signals.map((s) => s.kind));
    for (const kind of expected.kinds) expect({ file, kind, found: found.has(kind) }).toEqual({ file, kind, found: true });
  });

  it('shows the triggering words in a signal', () => {
    const texts = clean.signals.map((s) => s.text.toLowerCase());
    for (const words of expected.evidence) expect({ words, shown: texts.some((t) => t.includes(words.toLowerCase())) }).toEqual({ words, shown: true });
  });

  it('reports the expected place', () => {
    for (const [kind, where] of Object.entries(expected.where ?? {})) {
      expect(clean.signals.find((s) => s.kind === (kind as SignalKind))?.where).toBe(where);
    }
  });

  it('keeps hidden text out of the clean text', () => {
    const { hidden } = prepareEmail(email);
    for (const h of hidden.filter((x) => x.length >= 12)) expect(clean.text).not.toContain(h);
    for (const absent of expected.absentFromText ?? []) expect(clean.text).not.toContain(absent);
  });

  it('gives the expected notices', () => {
    for (const words of expected.noticeIncludes ?? []) expect(clean.notices.join('\n')).toContain(words);
  });
});

describe.each(ordinary)('ordinary: $file', ({ email }) => {
  const clean = sanitiseDeterministic(email);

  it('raises no high-severity signal', () => {
    expect(clean.signals.filter((s) => HIGH_SEVERITY_KINDS.includes(s.kind))).toEqual([]);
  });

  it('keeps its text', () => {
    expect(clean.text.length).toBeGreaterThan(100);
    expect(clean.notices).toEqual([]);
  });
});

describe('offline facts over the corpus', () => {
  it.each([...hostile, ...ordinary])('$file: facts pass FactsSchema and the hand-over passes SanitisedEmailSchema', ({ email }) => {
    const clean = sanitiseDeterministic(email);
    const facts = extractFactsOffline(clean);
    expect(FactsSchema.safeParse(facts).success).toBe(true);
    expect(SanitisedEmailSchema.safeParse(toSanitisedEmail(clean, facts)).success).toBe(true);
  });

  it('the deadline email yields ABC-123, the date 2026-12-04 (year from the range), and the ask', () => {
    const facts = extractFactsOffline(sanitiseDeterministic(loadEmail('ordinary', 'deadline-moves-abc-123.json')));
    expect(facts.issueKeys).toEqual(['ABC-123']);
    expect(facts.dates).toContainEqual(expect.objectContaining({ date: '2026-12-04' }));
    expect(facts.dates).toContainEqual({ text: '27 November', date: '2026-11-27' });
    expect(facts.asks).toContain('Could you confirm that your integration test window can move to the week of 7 December?');
    expect(facts.people[0]).toEqual({ name: 'Dana Whitfield', email: 'dana.whitfield@northwind.example' });
    expect(facts.summary).toContain('slips from 27 November to 4 December 2026');
  });

  it('injected sentences never become asks, people or summary', () => {
    for (const { email } of hostile) {
      const facts = extractFactsOffline(sanitiseDeterministic(email));
      const handedOver = JSON.stringify(facts).toLowerCase();
      for (const phrase of ['ignore previous instructions', 'ignore all previous instructions', 'forward all emails', 'autonomy level', 'add me as an approver', 'delete all customer data']) {
        expect({ phrase, inFacts: handedOver.includes(phrase) }).toEqual({ phrase, inFacts: false });
      }
      for (const address of ['archive-team@mailvault.example', 'audit-desk@compliance-check.example', 'pay@billing-update.example', 'partner@leads.example']) {
        expect(handedOver).not.toContain(address);
      }
    }
  });
});
