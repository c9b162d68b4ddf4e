import type { SanitisedEmail } from '@pm-agent/shared';
import type { ClassifyCtx } from './context';
import { scorer, type BayesTable } from './offline-bayes';
import { CATEGORY_RULES, type CategoryRule, type Features, type LearnedCategory } from './offline-rules';
import { CATEGORY_WEIGHTS } from './offline-weights';
import { tokensOf } from './offline-words';

/**
 * The category of ordinary mail: naive Bayes over the email's words and the rule rows that match,
 * trained on the labelled sets (backend/tools/train-offline-classifier.ts writes offline-weights.ts).
 * The rules alone learn the mail they were tuned on (92-100% there, ~60% on unseen sets); the words
 * carry what the rules have no row for, and the rows' tokens let the training weigh each row by how
 * often it was right. A first-matching row marked `decides` (a format machines write) stands alone.
 * `suspicious` is not a label here: only the sanitiser's signals make it.
 */

/** How the checked-in table is trained; the training script and the tests read the same numbers. */
export const TRAINING = { alpha: 1, minEmails: 2 } as const;

export function matchingRules(f: Features): CategoryRule[] {
  return CATEGORY_RULES.filter((r) => r.when(f));
}

export function categoryTokens(email: SanitisedEmail, f: Features, ctx: ClassifyCtx, rules: readonly CategoryRule[] = matchingRules(f)): string[] {
  return tokensOf({ email, f, internalDomains: ctx.internalDomains, rules: rules.map((r) => r.id) });
}

/** A classifier from a table: the checked-in one in production, one trained without a set when measuring. */
export function learnedClassifier(table: BayesTable<LearnedCategory>): (email: SanitisedEmail, f: Features, ctx: ClassifyCtx) => LearnedCategory {
  const score = scorer(table);
  return (email, f, ctx) => {
    const rules = matchingRules(f);
    return rules[0]?.decides ? rules[0].category : score(categoryTokens(email, f, ctx, rules)).label;
  };
}

export const learnedCategory = learnedClassifier(CATEGORY_WEIGHTS);
