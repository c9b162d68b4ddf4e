import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmailInputSchema, type Category } from '@pm-agent/shared';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from '../../src/stages/sanitise';
import { classifyOfflineScreened } from '../../src/stages/classify/offline-classifier';

/**
 * Issue 14.15: the offline classifier is all a new user sees without an API key. Over labelled
 * sets of ordinary work mail it must label none as suspicious; flagged mail never gets a reply
 * draft. The same sanitise and classify code the stage processes run, called in-process.
 *
 * The sets and how each was made are in fixtures/emails/labelled-sets.json. `labelled/` is the set
 * the rules were first tuned on; `labelled-heldout*` were written later, each measured once
 * before the rules saw it (`blindCategoryAccuracy`, 42-67%). Sets the rules were then re-tuned on
 * are held to 85% of categories; the last one (`tunedOn: false`) is the honest measure of mail
 * the rules have not seen, and is reported, not held to 85%: it does not reach it.
 */
const ROOT = join(__dirname, '../fixtures/emails');
const CTX = { internalDomains: ['example.com'], defaultProjectKey: 'ABC' };
type Label = { category: Category; priority: string };
const SETS = JSON.parse(readFileSync(join(ROOT, 'labelled-sets.json'), 'utf8')) as Record<string, { emails: number; written: string; blindCategoryAccuracy: number | null; tunedOn: boolean }>;

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

  it.each(Object.keys(SETS).filter((d) => SETS[d]!.tunedOn))('%s (the rules were tuned on it): at least 85% of categories right', (dir) => {
    const m = measured[dir]!;
    console.log(`offline classifier, ${dir}, ${m.results.length} ordinary emails: category ${pct(m.category)}, priority ${pct(m.priority)}`);
    expect(m.category).toBeGreaterThanOrEqual(0.85);
  });

  it('reports the sets the rules were not tuned on (the honest measure; not held to 85%)', () => {
    const blind = Object.keys(SETS).filter((d) => !SETS[d]!.tunedOn);
    expect(blind.length).toBeGreaterThan(0);
    for (const dir of blind) {
      const m = measured[dir]!;
      console.log(`offline classifier, ${dir} (not tuned on), ${m.results.length} ordinary emails: category ${pct(m.category)}, priority ${pct(m.priority)}`);
      // Recorded when the set was first measured; a change that loses ground here should say so.
      expect(m.category).toBeGreaterThanOrEqual(SETS[dir]!.blindCategoryAccuracy! - 0.005);
    }
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
