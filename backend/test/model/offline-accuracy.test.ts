import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EmailInputSchema, type Category } from '@pm-agent/shared';
import { extractFactsOffline, sanitiseDeterministic, toSanitisedEmail } from '../../src/stages/sanitise';
import { classifyOfflineScreened } from '../../src/stages/classify/offline-classifier';

/**
 * Issue 14.15: the offline classifier is all a new user sees without an API key. Over a labelled
 * set of ordinary work mail (labels in fixtures/emails/labelled/labels.json) it must label none as
 * suspicious and get at least 85% of categories right; flagged mail never gets a reply draft.
 * The same sanitise and classify code the stage processes run, called in-process.
 */
const ROOT = join(__dirname, '../fixtures/emails');
const CTX = { internalDomains: ['example.com'], defaultProjectKey: 'ABC' };
const labels = JSON.parse(readFileSync(join(ROOT, 'labelled/labels.json'), 'utf8')) as Record<string, { category: Category; priority: string }>;

function classify(file: string) {
  const email = EmailInputSchema.parse(JSON.parse(readFileSync(join(ROOT, file), 'utf8')));
  const clean = sanitiseDeterministic(email);
  return { email, clean, ...classifyOfflineScreened(toSanitisedEmail(clean, extractFactsOffline(clean)), CTX).classification };
}

const results = Object.entries(labels).map(([file, label]) => ({ file, label, got: classify(file) }));

describe('the offline classifier on ordinary work mail', () => {
  it('has a labelled set of at least 60 ordinary emails, every one on disk', () => {
    expect(results.length).toBeGreaterThanOrEqual(60);
  });

  it('labels no ordinary email suspicious', () => {
    expect(results.filter((r) => r.got.category === 'suspicious').map((r) => r.file)).toEqual([]);
  });

  it('gets at least 85% of categories right (priority accuracy is reported)', () => {
    const categoryRight = results.filter((r) => r.got.category === r.label.category).length / results.length;
    const priorityRight = results.filter((r) => r.got.priority === r.label.priority).length / results.length;
    console.log(`offline classifier, ${results.length} labelled ordinary emails: category ${(categoryRight * 100).toFixed(1)}%, priority ${(priorityRight * 100).toFixed(1)}%`);
    expect(categoryRight).toBeGreaterThanOrEqual(0.85);
  });
});

describe('flagged mail gets no reply draft to its sender', () => {
  const hostile = ['hostile', 'hostile-benchmark', 'hostile-heldout'].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => f.endsWith('.json') && !['expectations.json', 'shapes.json'].includes(f))
      .map((f) => `${dir}/${f}`),
  );

  it.each(hostile.filter((f) => classify(f).clean.signals.length > 0))('%s', (file) => {
    const r = classify(file);
    const replies = r.actions.filter((a) => ['email_external', 'email_stakeholder'].includes(a.actionType) && (a.payload['to'] as string[]).includes(r.email.from.address));
    expect(replies).toEqual([]);
  });
});
