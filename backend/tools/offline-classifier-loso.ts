import { features } from '../src/stages/classify/offline-features';
import { priorityOf } from '../src/stages/classify/offline-classifier';
import { learnedClassifier } from '../src/stages/classify/offline-learned';
import { ruleCategory } from '../src/stages/classify/offline-rules';
import { LABELLED_CTX, labelledSets, loadLabelled, type LabelledEmail } from './labelled-corpus';
import { trainCategoryTable } from './offline-training';

/**
 * Leave-one-set-out: for each labelled set, train the category table on all the other sets and
 * measure on it; the rules alone are measured on the same sets for comparison. The rules were
 * tuned on every set but G and H, so their figures there are not blind; the learned model's
 * are, for its words (it still reads the rule rows, which were tuned on them).
 * `npx tsx backend/tools/offline-classifier-loso.ts [set ...]`
 */
export interface SetScore {
  set: string;
  emails: number;
  rules: { category: number; priority: number };
  learned: { category: number; priority: number };
}

export function leaveOneSetOut(sets: readonly string[], all: readonly LabelledEmail[] = loadLabelled(sets)): SetScore[] {
  return sets.map((held) => {
    const classify = learnedClassifier(trainCategoryTable(all.filter((x) => x.set !== held)));
    const test = all.filter((x) => x.set === held);
    const score = (categoryOf: (x: LabelledEmail) => string) => {
      const got = test.map((x) => {
        const category = categoryOf(x) as LabelledEmail['category'];
        return { x, category, priority: priorityOf(category, features(x.email)) };
      });
      return { category: got.filter((g) => g.category === g.x.category).length / test.length, priority: got.filter((g) => g.priority === g.x.priority).length / test.length };
    };
    return {
      set: held,
      emails: test.length,
      rules: score((x) => ruleCategory(features(x.email))),
      learned: score((x) => classify(x.email, features(x.email), LABELLED_CTX)),
    };
  });
}

/** Over all emails of the given scores (each email weighs the same). */
export function pooled(scores: readonly SetScore[], who: 'rules' | 'learned', what: 'category' | 'priority'): number {
  const n = scores.reduce((a, s) => a + s.emails, 0);
  return scores.reduce((a, s) => a + s[who][what] * s.emails, 0) / n;
}

if (require.main === module) {
  const sets = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(labelledSets());
  const scores = leaveOneSetOut(sets);
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
  console.log(`${'set'.padEnd(22)} emails   rules cat/pri      learned cat/pri`);
  for (const s of scores) console.log(`${s.set.padEnd(22)} ${String(s.emails).padStart(6)} ${pct(s.rules.category)} ${pct(s.rules.priority)}   ${pct(s.learned.category)} ${pct(s.learned.priority)}`);
  console.log(`${'all'.padEnd(22)} ${String(scores.reduce((a, s) => a + s.emails, 0)).padStart(6)} ${pct(pooled(scores, 'rules', 'category'))} ${pct(pooled(scores, 'rules', 'priority'))}   ${pct(pooled(scores, 'learned', 'category'))} ${pct(pooled(scores, 'learned', 'priority'))}`);
}
