import { readFileSync } from 'node:fs';
import { CATEGORY_WEIGHTS } from '../../src/stages/classify/offline-weights';
import { scorer, trainBayes } from '../../src/stages/classify/offline-bayes';
import { WEIGHTS_FILE } from '../../tools/train-offline-classifier';
import { trainedWeightsSource } from '../../tools/offline-training';

/**
 * The learned category table has one source: the labelled fixtures. The checked-in file is what
 * backend/tools/train-offline-classifier.ts writes from them, byte for byte; a changed fixture,
 * token or rule row without a re-run fails here.
 */
describe('the checked-in category table', () => {
  it('is what the training script produces from the labelled sets (re-run it after changing them)', () => {
    expect(readFileSync(WEIGHTS_FILE, 'utf8')).toBe(trainedWeightsSource());
  });

  it('stays small enough to review and ship (under 150 KB)', () => {
    expect(readFileSync(WEIGHTS_FILE).length).toBeLessThan(150 * 1024);
  });

  it('never labels an email suspicious: that is not one of its labels', () => {
    expect(CATEGORY_WEIGHTS.labels).not.toContain('suspicious');
    expect(Object.values(CATEGORY_WEIGHTS.counts).every((c) => c.length === CATEGORY_WEIGHTS.labels.length)).toBe(true);
  });
});

describe('naive Bayes over token sets', () => {
  const table = trainBayes(
    ['a', 'b'] as const,
    [
      { tokens: ['red', 'round'], label: 'a' },
      { tokens: ['red', 'apple', 'apple'], label: 'a' },
      { tokens: ['blue', 'square'], label: 'b' },
      { tokens: ['blue', 'round'], label: 'b' },
      { tokens: ['once'], label: 'b' },
    ],
    { alpha: 1, minEmails: 2 },
  );

  it('counts each token once per email and leaves out tokens rarer than minEmails', () => {
    expect(table.docs).toEqual([2, 3]);
    expect(table.counts).toEqual({ blue: [0, 2], red: [2, 0], round: [1, 1] });
  });

  it('picks the label whose tokens the email shares, ignores unknown ones, and gives probabilities that sum to 1', () => {
    const score = scorer(table);
    expect(score(['red', 'unknown']).label).toBe('a');
    expect(score(['blue']).label).toBe('b');
    const p = score(['round']).probabilities;
    expect(p.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 10);
    // Nothing known: the prior decides (three of five training emails are b).
    expect(score([]).label).toBe('b');
  });
});
