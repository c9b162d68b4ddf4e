/**
 * `npm run bench`: runs the sections in order, writes bench/results/<timestamp>.json and
 * bench/results/latest.json, and prints a short summary.
 *
 *   npm run bench                  all sections
 *   npm run bench -- api           only the named sections (in the usual order)
 *   npm run bench -- --quick       smaller counts, for trying the harness out (not for comparisons)
 *
 * Budgets are reported, not enforced: the exit code is non-zero only when a section crashed.
 * To add a section, write bench/sections/<name>.ts exporting `name`, `run(ctx)` and optionally
 * `summary(result)` (see lib/section.ts), and add it to SECTIONS below.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectBudgets, describeBudget } from './lib/budget';
import type { BenchContext, Section, SectionResult } from './lib/section';
import { round } from './lib/stats';
import * as api from './sections/api';
import * as outlook from './sections/outlook';
import * as signing from './sections/signing';
import * as jira from './sections/jira';
import * as taint from './sections/taint';
import * as triage from './sections/triage';
import * as inbox from './sections/inbox';
import * as lambda from './sections/lambda';
import * as store from './sections/store';

const SECTIONS: readonly Section[] = [signing, api, store, triage, taint, jira, inbox, outlook, lambda];

const RESULTS_DIR = join(__dirname, 'results');

interface SectionCrash {
  crashed: true;
  error: string;
  stack?: string;
  duration_ms: number;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = args.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w));
  if (unknown.length) {
    console.error(`Unknown section${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Sections: ${SECTIONS.map((s) => s.name).join(', ')}.`);
    return 2;
  }
  const sections = wanted.length ? SECTIONS.filter((s) => wanted.includes(s.name)) : SECTIONS;

  const startedAt = new Date();
  const t0 = performance.now();
  const ctx: BenchContext = { quick, log: (line) => console.error(`[bench] ${line}`) };
  const results: Record<string, (SectionResult & { duration_ms?: number }) | SectionCrash> = {};

  for (const section of sections) {
    const s0 = performance.now();
    ctx.log(`${section.name}: start`);
    try {
      const result = await section.run(ctx);
      results[section.name] = { ...result, duration_ms: round(performance.now() - s0, 0) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      results[section.name] = { crashed: true, error: err.message, stack: err.stack, duration_ms: round(performance.now() - s0, 0) };
      console.error(`[bench] ${section.name}: CRASHED: ${err.stack ?? err.message}`);
    }
  }

  const budgets = collectBudgets(results);
  const misses = budgets.filter((b) => !b.withinBudget);
  const crashed = Object.entries(results).filter(([, r]) => isCrash(r)).map(([k]) => k);
  const report = {
    schema_version: 1,
    started_at: startedAt.toISOString(),
    duration_ms: round(performance.now() - t0, 0),
    quick,
    machine: machineFacts(),
    git: gitFacts(),
    sections: results,
    budgets: {
      checked: budgets.length,
      misses: misses.map((m) => ({ path: m.path, ...m.check })),
    },
    crashed_sections: crashed,
  };

  mkdirSync(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // Colons are not allowed in Windows file names: 2025-01-31T12-00-00.000Z.json
  const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(join(RESULTS_DIR, 'latest.json'), json);

  printSummary(report.machine, sections, results, budgets.length, misses, crashed, quick);
  console.log(`\nResults: ${file} (also bench/results/latest.json), ${(report.duration_ms / 1000).toFixed(1)} s`);
  return crashed.length ? 1 : 0;
}

function isCrash(r: unknown): r is SectionCrash {
  return typeof r === 'object' && r !== null && (r as { crashed?: unknown }).crashed === true;
}

function machineFacts() {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    os_release: os.release(),
    cpus: cpus.length,
    available_parallelism: os.availableParallelism(),
    cpu_model: cpus[0]?.model.trim() ?? null,
    total_memory_mb: Math.round(os.totalmem() / 2 ** 20),
    /** 1/5/15-minute load averages when the run started: a busy machine skews everything. */
    load_average: os.loadavg().map((l) => round(l, 2)),
  };
}

function gitFacts(): { commit: string | null; dirty: boolean | null } {
  const git = (...a: string[]) => execFileSync('git', a, { cwd: __dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return { commit: git('rev-parse', 'HEAD'), dirty: git('status', '--porcelain').length > 0 };
  } catch {
    return { commit: null, dirty: null };
  }
}

function printSummary(
  machine: ReturnType<typeof machineFacts>,
  sections: readonly Section[],
  results: Record<string, unknown>,
  budgetsChecked: number,
  misses: ReturnType<typeof collectBudgets>,
  crashed: string[],
  quick: boolean,
): void {
  console.log(`\nBenchmark${quick ? ' (quick: smaller counts, not for comparisons)' : ''} on node ${machine.node}, ${machine.platform}/${machine.arch}, ${machine.cpus} CPUs (${machine.cpu_model ?? 'unknown'})`);
  for (const section of sections) {
    const r = results[section.name];
    console.log(`\n${section.name}`);
    if (isCrash(r)) console.log(`  CRASHED: ${r.error}`);
    else if (section.summary) {
      try {
        for (const line of section.summary(r as SectionResult)) console.log(line);
      } catch (e) {
        console.log(`  (summary failed: ${(e as Error).message}; see the JSON)`);
      }
    }
  }
  console.log('');
  if (misses.length) {
    console.log(`BUDGET MISSES (${misses.length} of ${budgetsChecked}; reported, not fatal):`);
    for (const m of misses) console.log(`  ✗ ${m.path}: ${describeBudget(m.check)}`);
  } else console.log(`Budgets: all ${budgetsChecked} within budget.`);
  if (crashed.length) console.log(`CRASHED: ${crashed.join(', ')} (exit code 1)`);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error('[bench] crashed:', e);
    process.exitCode = 1;
  },
);
