/**
 * Naive Bayes over token sets (multinomial over tokens counted once per email), as a table of
 * counts: training is counting, so the table is exact, deterministic and small enough to check in.
 * Tokens the table does not hold are ignored.
 */
export interface BayesTable<L extends string = string> {
  labels: readonly L[];
  /** Training emails per label. */
  docs: readonly number[];
  /** Additive smoothing: a token never seen with a label still has a little weight there. */
  alpha: number;
  /** Per token, the training emails of each label (in `labels` order) that held it. */
  counts: Readonly<Record<string, readonly number[]>>;
}

export interface Scored<L extends string> {
  label: L;
  /** Posterior probability of each label, in the table's order. */
  probabilities: number[];
}

export function scorer<L extends string>(table: BayesTable<L>): (tokens: readonly string[]) => Scored<L> {
  const vocabulary = Object.keys(table.counts).length;
  const totals = table.labels.map((_, i) => Object.values(table.counts).reduce((n, c) => n + c[i]!, 0));
  const allDocs = table.docs.reduce((a, b) => a + b, 0);
  const prior = table.docs.map((d) => Math.log((d + 1) / (allDocs + table.labels.length)));
  const denom = totals.map((t) => Math.log(t + table.alpha * vocabulary));
  return (tokens) => {
    const logp = prior.slice();
    for (const t of tokens) {
      const c = table.counts[t];
      if (!c) continue;
      for (let i = 0; i < logp.length; i++) logp[i]! += Math.log(c[i]! + table.alpha) - denom[i]!;
    }
    const max = Math.max(...logp);
    const exp = logp.map((x) => Math.exp(x - max));
    const sum = exp.reduce((a, b) => a + b, 0);
    const probabilities = exp.map((x) => x / sum);
    // Ties go to the earlier label: deterministic whatever the float noise.
    const best = probabilities.reduce((bi, p, i) => (p > probabilities[bi]! ? i : bi), 0);
    return { label: table.labels[best]!, probabilities };
  };
}

/** Counts per label; tokens seen in fewer than `minEmails` training emails are left out (noise, and size). */
export function trainBayes<L extends string>(labels: readonly L[], examples: ReadonlyArray<{ tokens: readonly string[]; label: L }>, opts: { alpha: number; minEmails: number }): BayesTable<L> {
  const index = new Map(labels.map((l, i) => [l, i] as const));
  const docs = labels.map(() => 0);
  const counts = new Map<string, number[]>();
  for (const { tokens, label } of examples) {
    const i = index.get(label);
    if (i === undefined) throw new Error(`unknown label ${label}`);
    docs[i]!++;
    for (const t of new Set(tokens)) {
      let c = counts.get(t);
      if (!c) counts.set(t, (c = labels.map(() => 0)));
      c[i]!++;
    }
  }
  const kept = [...counts].filter(([, c]) => c.reduce((a, b) => a + b, 0) >= opts.minEmails).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { labels, docs, alpha: opts.alpha, counts: Object.fromEntries(kept) };
}
