import { performance } from 'node:perf_hooks';
import { round, summarize } from './stats';

/** One contender in a micro-benchmark: an operation run many times in a row. */
export interface MicroCase {
  name: string;
  op: () => Promise<unknown>;
}

export interface MicroOptions {
  /** Untimed runs of each case first, for the JIT and caches. */
  warmup: number;
  /** Timed runs of each case in total. */
  iterations: number;
  /**
   * The timed runs are split into this many rounds, and the cases take turns round by round
   * (A B C, A B C, …), so drift over the run (GC, CPU frequency, a noisy neighbour) hits all alike.
   */
  rounds: number;
}

export interface MicroResult {
  iterations: number;
  /** Iterations over the summed wall time of the timed loops (timer overhead included). */
  ops_per_s: number;
  /** Per-operation times in microseconds. */
  us_per_op: { mean: number; p50: number; p99: number; min: number; max: number };
}

/** Times each `op` individually with performance.now(). Operations are awaited one at a time. */
export async function microbench(cases: readonly MicroCase[], opts: MicroOptions): Promise<Record<string, MicroResult>> {
  for (const c of cases) for (let i = 0; i < opts.warmup; i++) await c.op();

  const samples = new Map(cases.map((c) => [c.name, [] as number[]]));
  const wallMs = new Map(cases.map((c) => [c.name, 0]));
  const perRound = Math.max(1, Math.ceil(opts.iterations / opts.rounds));
  for (let r = 0; r < opts.rounds; r++) {
    for (const c of cases) {
      const out = samples.get(c.name)!;
      const n = Math.min(perRound, opts.iterations - out.length);
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await c.op();
        out.push(performance.now() - t0);
      }
      wallMs.set(c.name, wallMs.get(c.name)! + performance.now() - start);
    }
  }

  const results: Record<string, MicroResult> = {};
  for (const c of cases) {
    const us = samples.get(c.name)!.map((ms) => ms * 1000);
    const s = summarize(us, 2);
    results[c.name] = {
      iterations: us.length,
      ops_per_s: round((us.length / wallMs.get(c.name)!) * 1000, 0),
      us_per_op: { mean: s.mean, p50: s.p50, p99: s.p99, min: s.min, max: s.max },
    };
  }
  return results;
}
