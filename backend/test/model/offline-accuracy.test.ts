import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmailInputSchema, type Category } from '@pm-agent/shared';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from '../../src/stages/sanitise';
import { classifyOfflineScreened } from '../../src/stages/classify/offline-classifier';
import { leaveOneSetOut, pooled } from '../../tools/offline-classifier-loso';

/**
 * Issue 14.15: the offline classifier is all a new user sees without an API key. Over labelled
 * sets of ordinary work mail it must label none as suspicious; flagged mail never gets a reply
 * draft. The same sanitise and classify code the stage processes run, called in-process.
 *
 * The sets and how each was made are in fixtures/emails/labelled-sets.json. The category comes
 * from a table learned on all of them, so the checked-in classifier's score on a set is not a
 * measure of mail it has not seen; leave-one-set-out is (train on the other sets, measure on
 * this one), and its floors below are the figures reached, so a regression breaks them. The rules
 * were tuned on every set but G and H, so the learned model's figure over those two is the one to
 * read for unseen mail; it is held to its floor, not to 85%.
 */
const ROOT = join(__dirname, '../fixtures/emails');
const CTX = { internalDomains: ['example.com'], defaultProjectKey: 'ABC' };
type Label = { category: Category; priority: string };
const SETS = JSON.parse(readFileSync(join(ROOT, 'labelled-sets.json'), 'utf8')) as Record<string, { emails: number; written: string; blindCategoryAccuracy: number | null; learnedBlindCategoryAccuracy?: number; tunedOn: boolean }>;

function classify(file: string) {
  const email = EmailInputSchema.parse(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
  const clean = sanitiseDeterministic(email);
  return { email, clean, ...classifyOfflineScreened(toSanitisedEmail(clean, extractFactsOffline(clean)), CTX).classification };
}

function measure(dir: string) {
  const labels = JSON.parse(readFileSync(join(ROOT, dir, 'labels.json'), 'utf8')) as Record<string, Label>;
  const results = Object.entries(labels).map(([file, label]) => ({ file, label, got: classify(file) }));
  const n = results.length;
  return {
    results,
    category: results.filter((r) => r.got.category === r.label.category).length / n,
    priority: results.filter((r) => r.got.priority === r.label.priority).length / n,
    suspicious: results.filter((r) => r.got.category === 'suspicious').map((r) => r.file),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const measured = Object.fromEntries(Object.keys(SETS).map((dir) => [dir, measure(dir)]));

describe('the offline classifier on ordinary work mail', () => {
  it('has the labelled sets on disk: the original one of at least 60 emails, held-out ones of at least 40 together', () => {
    for (const [dir, set] of Object.entries(SETS)) {
      expect([dir, measured[dir]!.results.length]).toEqual([dir, set.emails]);
      const onDisk = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.json') && f !== 'labels.json');
      if (dir !== 'labelled') expect(onDisk.map((f) => `${dir}/${f}`).sort()).toEqual(measured[dir]!.results.map((r) => r.file).sort());
    }
    expect(measured['labelled']!.results.length).toBeGreaterThanOrEqual(60);
    expect(Object.keys(SETS).filter((d) => d !== 'labelled').reduce((n, d) => n + measured[d]!.results.length, 0)).toBeGreaterThanOrEqual(40);
  });

  it.each(Object.keys(SETS))('%s: labels no ordinary email suspicious', (dir) => {
    expect(measured[dir]!.suspicious).toEqual([]);
  });

  it.each(Object.keys(SETS))('%s (the learned table is trained on it): at least 85% of categories right', (dir) => {
    const m = measured[dir]!;
    console.log(`offline classifier, ${dir}, ${m.results.length} ordinary emails: category ${pct(m.category)}, priority ${pct(m.priority)}`);
    expect(m.category).toBeGreaterThanOrEqual(0.85);
  });
});

describe('the offline classifier on mail it was not trained on (leave one set out)', () => {
  const scores = leaveOneSetOut(Object.keys(SETS));
  const notTunedByRules = scores.filter((s) => !SETS[s.set]!.tunedOn);
  for (const s of scores) console.log(`leave-one-set-out, ${s.set}, ${s.emails} emails: category ${pct(s.learned.category)} (rules alone ${pct(s.rules.category)}), priority ${pct(s.learned.priority)}`);

  // Floors: the figures reached when this was written (90.4%, 86.3%; 84.9% over G and H, where the rules alone score 65.8%).
  it('over all sets: at least 90% of categories and 86% of priorities right', () => {
    expect(pooled(scores, 'learned', 'category')).toBeGreaterThanOrEqual(0.9);
    expect(pooled(scores, 'learned', 'priority')).toBeGreaterThanOrEqual(0.86);
  });

  it('over the sets the rules were not tuned on: at least 84% of categories, well above the rules alone', () => {
    expect(notTunedByRules.length).toBeGreaterThan(0);
    expect(pooled(notTunedByRules, 'learned', 'category')).toBeGreaterThanOrEqual(0.84);
    expect(pooled(notTunedByRules, 'learned', 'category')).toBeGreaterThan(pooled(notTunedByRules, 'rules', 'category') + 0.1);
  });

  it.each(scores.map((s) => [s.set, s] as const))('%s: better than the rules were when they first saw it, and no worse than its own blind figure', (dir, s) => {
    const set = SETS[dir]!;
    if (set.blindCategoryAccuracy !== null) expect(s.learned.category).toBeGreaterThan(set.blindCategoryAccuracy);
    if (set.learnedBlindCategoryAccuracy !== undefined) expect(s.learned.category).toBeGreaterThanOrEqual(set.learnedBlindCategoryAccuracy - 0.005);
    expect(s.learned.category).toBeGreaterThanOrEqual(0.75);
  });
});

describe('flagged mail gets no reply draft to its sender', () => {
  const hostile = ['hostile', 'hostile-benchmark', 'hostile-heldout'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.json') && !['expectations.json', 'shapes.json'].includes(f))
      .map((f) => `${dir}/${f}`),
  );
  const ordinaryFlagged = Object.keys(SETS).flatMap((dir) => measured[dir]!.results.filter((r) => r.got.clean.signals.length > 0).map((r) => r.file));

  it.each([...hostile.filter((f) => classify(f).clean.signals.length > 0), ...ordinaryFlagged])('%s', (file) => {
    const r = classify(file);
    const replies = r.actions.filter((a) => ['email_external', 'email_stakeholder'].includes(a.actionType) && (a.payload['to'] as string[]).includes(r.email.from.address));
    expect(replies).toEqual([]);
  });
});
