/**
 * Budgets are reported, never asserted: a miss shows up in the JSON and in the console summary,
 * but does not fail the run. Convention: any object in a section's results with a boolean
 * `within_budget` is a budget check; run.ts collects the ones that are false.
 */

/** `{ p99_ms: 12.3, budget_p99_ms: 50, within_budget: true }` for budget('p99_ms', 12.3, 50). */
export function budget(metric: string, value: number, max: number): Record<string, number | boolean> {
  return { [metric]: value, [`budget_${metric}`]: max, within_budget: Number.isFinite(value) && value <= max };
}

/** At least `min`: the same shape, for metrics where more is better (e.g. requests/s). */
export function budgetAtLeast(metric: string, value: number, min: number): Record<string, number | boolean> {
  return { [metric]: value, [`budget_min_${metric}`]: min, within_budget: Number.isFinite(value) && value >= min };
}

export interface BudgetCheck {
  /** Dotted path in the results, e.g. "api.reads.c8.budgets.p99". */
  path: string;
  check: Record<string, unknown>;
  withinBudget: boolean;
}

/** Every budget check under `value`, depth first, in key order. */
export function collectBudgets(value: unknown, path = ''): BudgetCheck[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => collectBudgets(v, `${path}[${i}]`));
  const obj = value as Record<string, unknown>;
  if (typeof obj.within_budget === 'boolean') return [{ path, check: obj, withinBudget: obj.within_budget }];
  return Object.entries(obj).flatMap(([k, v]) => collectBudgets(v, path ? `${path}.${k}` : k));
}

/** "p99_ms=63.1 > budget_p99_ms=50" */
export function describeBudget(check: Record<string, unknown>): string {
  return Object.entries(check)
    .filter(([k]) => k !== 'within_budget')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}
