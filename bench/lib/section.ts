/**
 * What a bench section is. A section is a module under bench/sections/ exporting `name`, `run` and
 * optionally `summary`; bench/run.ts lists the sections in the order they run.
 */

export interface BenchContext {
  /** Smaller iteration counts, for a quick look (`npm run bench -- --quick`). Not for comparisons. */
  quick: boolean;
  /** Progress lines, to stderr; not part of the results. */
  log(line: string): void;
}

export type SectionResult = Record<string, unknown>;

export interface Section {
  /** Key of this section in the results JSON. */
  name: string;
  /** Measures and returns JSON-serialisable results. Throwing marks the run as crashed. */
  run(ctx: BenchContext): Promise<SectionResult>;
  /** A few human-readable lines for the console summary. */
  summary?(result: SectionResult): string[];
}
