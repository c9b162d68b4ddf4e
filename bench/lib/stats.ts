/**
 * Summary statistics for latency samples. Percentiles use the nearest-rank method: the p-th
 * percentile of n ascending values is the value at 1-based rank ceil(p/100 · n) (rank 1 for p = 0),
 * so it is always one of the measured samples, never an interpolation.
 */

export interface Summary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * An ascending copy. A Float64Array sorts numerically (Array#sort without a comparator would
 * compare numbers as strings, putting 10 before 9); NaN, if any, sorts last.
 */
export function sortedAscending(values: readonly number[]): number[] {
  return Array.from(Float64Array.from(values).sort());
}

/**
 * The 1-based nearest rank for percentile p of n values. The tiny epsilon keeps binary
 * floating-point error (say 7 · 100 / 100 coming out as 7.000000000000001) from bumping the
 * rank up by one when p·n/100 is meant to be a whole number.
 */
export function nearestRank(p: number, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`nearestRank: need at least one value, got n=${n}`);
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`nearestRank: percentile must be within 0–100, got ${p}`);
  return Math.min(n, Math.max(1, Math.ceil((p * n) / 100 - 1e-9)));
}

/** Percentile p (0–100) of values already sorted ascending. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  return sorted[nearestRank(p, sorted.length) - 1]!;
}

/** Percentile p (0–100) of values in any order. */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted(sortedAscending(values), p);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean: need at least one value');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** count/min/mean/p50/p95/p99/max, each rounded to `digits` decimals (not the count). */
export function summarize(values: readonly number[], digits = 3): Summary {
  const sorted = sortedAscending(values);
  const r = (v: number) => round(v, digits);
  return {
    count: sorted.length,
    min: r(sorted[0] ?? Number.NaN),
    mean: r(mean(sorted)),
    p50: r(percentileOfSorted(sorted, 50)),
    p95: r(percentileOfSorted(sorted, 95)),
    p99: r(percentileOfSorted(sorted, 99)),
    max: r(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
