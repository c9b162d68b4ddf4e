import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleFunction } from '../../infra/src/bundles';
import { FUNCTION_NAMES } from '../../infra/src/functions';
import { coldInit } from '../../infra/src/node22';
import { budget } from '../lib/budget';
import type { BenchContext, SectionResult } from '../lib/section';
import { round, summarize } from '../lib/stats';

/**
 * The Lambda bundles: each function's esbuild bundle size (raw and gzip, as uploaded zipped), and
 * its cold-start initialisation: `require(bundle)` timed in a fresh Node 22 process (node@22), as
 * Lambda's init phase loads the handler module. Lambda adds its own runtime start on top.
 */
export const name = 'lambda';

const BUDGET = { bundleGzipKb: 600, initP50Ms: 400 };

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const out = mkdtempSync(join(tmpdir(), 'pm-agent-bundles-'));
  const runs = ctx.quick ? 3 : 10;
  const functions: Record<string, unknown> = {};
  try {
    for (const fn of FUNCTION_NAMES) {
      const b = await bundleFunction(fn, out);
      const gz = gzipSync(readFileSync(b.file)).length;
      const inits: number[] = [];
      let version = '';
      for (let i = 0; i < runs; i++) {
        const r = coldInit(b.file);
        inits.push(r.initMs);
        version = r.version;
      }
      const s = summarize(inits);
      functions[fn] = {
        bundle_bytes: b.bytes,
        bundle_gzip_bytes: gz,
        modules: b.inputs.length,
        node: version,
        init_ms: s,
        budgets: { size: budget('gzip_kb', round(gz / 1024, 1), BUDGET.bundleGzipKb), init: budget('init_p50_ms', round(s.p50, 1), BUDGET.initP50Ms) },
      };
      ctx.log(`lambda: ${fn} ${round(b.bytes / 1024, 0)} KB, init p50 ${round(s.p50, 1)} ms`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { runs_per_function: runs, functions };
}

export function summary(result: SectionResult): string[] {
  const fns = result.functions as Record<string, { bundle_bytes: number; bundle_gzip_bytes: number; init_ms: { p50: number }; node: string }>;
  return Object.entries(fns).map(([fn, r]) => `${fn}: ${round(r.bundle_bytes / 1024, 0)} KB (${round(r.bundle_gzip_bytes / 1024, 0)} KB gzip), cold init p50 ${round(r.init_ms.p50, 1)} ms on ${r.node}`);
}
