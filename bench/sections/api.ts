import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { budget } from '../lib/budget';
import { runLoad, type LoadResult } from '../lib/load';
import type { BenchContext, SectionResult } from '../lib/section';
import { createSignedFetch, forgeIdentity } from '../lib/signed-fetch';

/**
 * Signed-request throughput and latency of the real local backend (SQLite store, SigV4 verifier)
 * under concurrent closed-loop load, over loopback HTTP.
 */
export const name = 'api';

const READ_PATH = '/v1/suggestions?issueKey=ABC-123';
const READ_CONCURRENCY = [1, 8, 32] as const;
const READ_BUDGET_P99_MS = 50; // at concurrency 8
const WRITE_CONCURRENCY = 8;

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const sizes = ctx.quick
    ? { warmup: 100, reads: 300, writes: 60, timeCapMs: 5_000 }
    : { warmup: 300, reads: 2_000, writes: 400, timeCapMs: 10_000 };
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-bench-'));
  let backend: LocalBackend | undefined;
  try {
    backend = await startLocalBackend({ home, port: 0, seed: true });
    const { principals, region, service } = backend.files.credentials;
    const forge = createSignedFetch({ baseUrl: backend.url, region, service, keys: principals.forge, headers: forgeIdentity(LOCAL_USER) });
    const agent = createSignedFetch({ baseUrl: backend.url, region, service, keys: principals.agent });
    const readOnce = () => forge({ path: READ_PATH });

    // Sanity: the read works and returns the seeded suggestion, so we measure real answers.
    const first = await readOnce();
    const firstBody = await first.text();
    if (first.status !== 200) throw new Error(`GET ${READ_PATH} as forge answered ${first.status}: ${firstBody.slice(0, 300)}`);
    const items = (JSON.parse(firstBody) as { items?: unknown[] }).items?.length ?? 0;
    if (items < 1) throw new Error(`GET ${READ_PATH} returned no suggestions: is the seed missing?`);

    ctx.log(`api: backend at ${backend.url}; warm-up ${sizes.warmup} reads`);
    await runLoad({ total: sizes.warmup, concurrency: 8, timeCapMs: sizes.timeCapMs, expectStatus: 200, send: readOnce });

    const reads: Record<string, unknown> = {};
    for (const concurrency of READ_CONCURRENCY) {
      ctx.log(`api: ${sizes.reads} reads at concurrency ${concurrency}`);
      const r = await runLoad({ total: sizes.reads, concurrency, timeCapMs: sizes.timeCapMs, expectStatus: 200, send: readOnce });
      reads[`c${concurrency}`] = withBudgets(r, concurrency === 8 ? READ_BUDGET_P99_MS : undefined);
    }

    // Writes after the reads, and on another issue key, so they do not change what the reads return.
    const runId = Date.now().toString(36);
    ctx.log(`api: ${sizes.writes} writes at concurrency ${WRITE_CONCURRENCY}`);
    const write = await runLoad({
      total: sizes.writes,
      concurrency: WRITE_CONCURRENCY,
      timeCapMs: sizes.timeCapMs,
      expectStatus: 201,
      send: (i) =>
        agent({ method: 'POST', path: '/v1/suggestions', headers: { 'content-type': 'application/json' }, body: JSON.stringify(createBody(runId, i)) }),
    });

    return {
      backend: {
        topology: 'in-process: the load generator and the backend share one Node process and event loop (client signing competes with server verification), loopback HTTP/1.1 keep-alive via global fetch',
        store: 'SQLite in a fresh temporary home, seeded',
      },
      latency_includes: 'signing (a fresh aws4fetch signature per request, no key cache, as backend-client), the HTTP exchange and reading the whole body',
      load_model: 'closed loop: `concurrency` workers, each sends its next request when the last ends; latency over successful requests',
      reads: {
        request: `GET ${READ_PATH} as forge, identity headers of ${LOCAL_USER.accountId} signed`,
        expect_status: 200,
        items_per_response: items,
        response_bytes: Buffer.byteLength(firstBody),
        ...reads,
      },
      writes: {
        request: 'POST /v1/suggestions as agent, a valid jira_comment on BENCH-1, no Idempotency-Key',
        expect_status: 201,
        request_bytes: Buffer.byteLength(JSON.stringify(createBody(runId, 0))),
        [`c${WRITE_CONCURRENCY}`]: withBudgets(write),
      },
    };
  } finally {
    await backend?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

function withBudgets(r: LoadResult, p99BudgetMs?: number): Record<string, unknown> {
  const budgets: Record<string, unknown> = { errors: budget('errors', r.errors, 0) };
  if (p99BudgetMs !== undefined) budgets.p99 = budget('p99_ms', r.latency_ms?.p99 ?? Number.NaN, p99BudgetMs);
  return { ...r, budgets };
}

function createBody(runId: string, i: number) {
  return {
    actionType: 'jira_comment',
    payload: {
      issueKey: 'BENCH-1',
      body: `Benchmark comment ${runId}-${i}: the vendor confirmed the sandbox API for 4 December; integration testing moves to the week of 7 December and the release date is unchanged for now.`,
    },
    rationale: 'Benchmark write: a realistic comment suggestion the agent would make after reading a vendor email.',
    provenance: { source: 'agent', ref: `bench-${runId}`, title: 'Benchmark run', excerpt: 'Generated by npm run bench.' },
  };
}

export function summary(result: SectionResult): string[] {
  const lines: string[] = [];
  const line = (label: string, r: LoadResult) =>
    `  ${label.padEnd(18)} ${String(r.requests).padStart(5)} req  ${String(r.requests_per_s).padStart(8)} req/s   ` +
    (r.latency_ms ? `p50 ${r.latency_ms.p50} ms  p95 ${r.latency_ms.p95} ms  p99 ${r.latency_ms.p99} ms` : 'no successful requests') +
    `   errors ${r.errors}${r.time_capped ? '  (time-capped)' : ''}`;
  const reads = result.reads as Record<string, unknown>;
  for (const c of READ_CONCURRENCY) {
    const r = reads[`c${c}`] as LoadResult | undefined;
    if (r) lines.push(line(`read  c=${c}`, r));
  }
  const w = (result.writes as Record<string, unknown>)[`c${WRITE_CONCURRENCY}`] as LoadResult | undefined;
  if (w) lines.push(line(`write c=${WRITE_CONCURRENCY}`, w));
  lines.push('  (latency includes signing each request; client and server share one process)');
  return lines;
}
