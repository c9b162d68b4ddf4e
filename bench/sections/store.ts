import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { DEFAULT_SETTINGS, type CreateSuggestionRequest, type Suggestion } from '@pm-agent/shared';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/dynamodb-local';
import { approveSuggestion, createSuggestion, updateSettings, type Caller } from '@pm-agent/backend/domain';
import { ConditionFailed, type Store } from '@pm-agent/backend/store';
import { DynamoStore, ensureTables } from '@pm-agent/backend/store/dynamodb';
import { SqliteStore } from '@pm-agent/backend/store/sqlite';
import type { BenchContext, SectionResult } from '../lib/section';
import { round, summarize, type Summary } from '../lib/stats';

/**
 * The store under the real approval operation (read, decide, commit one change set), in process,
 * no HTTP: SQLite (a file, fully synced) and Amazon's DynamoDB Local (in memory, a Java process on
 * loopback) in the same run. Approvals of distinct items at concurrency 1/8/32, then contention:
 * 32 approvers racing each of a few items, where exactly one may win.
 */
export const name = 'store';

const CONCURRENCY = [1, 8, 32] as const;
const RACERS = 32;
const APPROVER: Caller = { principal: 'forge', actor: { principal: 'forge', id: '712020:bench-approver' }, admin: false };
const ADMIN: Caller = { principal: 'forge', actor: { principal: 'forge', id: '712020:bench-admin' }, admin: true };
const AGENT: Caller = { principal: 'agent', actor: { principal: 'agent', id: 'pm-agent' }, admin: false };

interface Level {
  concurrency: number;
  approvals: number;
  approvals_per_s: number;
  latency_ms: Summary;
  /** Approvals answered with anything but 200 (e.g. 503 when retries ran out); their latency is not counted. */
  errors: Record<string, number>;
  /** Commits refused on a failed condition (another commit changed what this one rested on), each sending the operation back to read and decide again. */
  conflict_retries: number;
  /** DynamoDB only: commits re-chained onto an audit head another commit had just moved. */
  audit_head_retries?: number;
}

interface Contention {
  items: number;
  racers_per_item: number;
  /** Exactly one per item, or the section fails. */
  approved: number;
  already_decided_409: number;
  conflict_retries: number;
  audit_head_retries?: number;
  duration_ms: number;
}

const comment = (i: number): CreateSuggestionRequest => ({
  actionType: 'jira_comment',
  payload: { issueKey: 'BENCH-1', body: `Bench comment ${i}` },
  rationale: 'bench',
  provenance: { source: 'agent', ref: `bench-${i}`, excerpt: '' },
});

async function createMany(store: Store, n: number): Promise<Suggestion[]> {
  const deps = { store, now: () => new Date() };
  const out: Suggestion[] = [];
  for (let i = 0; i < n; i += 1) {
    const r = await createSuggestion(deps, AGENT, comment(i));
    if (r.status !== 201) throw new Error(`creating a bench suggestion answered ${r.status}`);
    out.push((r.body as { suggestion: Suggestion }).suggestion);
  }
  return out;
}

async function approve(store: Store, s: Suggestion): Promise<number> {
  return (await approveSuggestion({ store: countingConflicts(store), now: () => new Date() }, APPROVER, s.id, { payloadHash: s.payloadHash })).status;
}

/** Commits refused because a condition no longer held: each sends the operation back to read and decide again. */
const conflictStats = { retried: 0 };
const counted = new WeakMap<Store, Store>();
function countingConflicts(store: Store): Store {
  const known = counted.get(store);
  if (known) return known;
  const commit: Store['commit'] = (changes) =>
    store.commit(changes).catch((e: unknown) => {
      if (e instanceof ConditionFailed) conflictStats.retried += 1;
      throw e;
    });
  const proxy = new Proxy(store, {
    get: (target, prop) => {
      if (prop === 'commit') return commit;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  counted.set(store, proxy);
  return proxy;
}

const headRetries = (store: Store, others: readonly Store[] = []) =>
  store instanceof DynamoStore ? [store, ...others].reduce((n, s) => n + (s as DynamoStore).stats.headRetries, 0) : undefined;

/** `workerStore(w)`: the store worker w approves through (one shared instance, or one each, as Lambda instances). */
async function level(store: Store, concurrency: number, count: number, workerStore: (w: number) => Store = () => store): Promise<Level> {
  const items = await createMany(store, count);
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const workers = Array.from({ length: concurrency }, (_, w) => workerStore(w)).filter((s) => s !== store);
  const [retries0, head0] = [conflictStats.retried, headRetries(store, workers)];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = next++; i < items.length; i = next++) {
        const s0 = performance.now();
        const status = await approve(workerStore(w), items[i]!);
        if (status === 200) latencies.push(performance.now() - s0);
        else errors[status] = (errors[status] ?? 0) + 1;
      }
    }),
  );
  const ms = performance.now() - t0;
  const head = headRetries(store, workers);
  return {
    concurrency,
    approvals: items.length,
    approvals_per_s: round((latencies.length * 1000) / ms, 1),
    latency_ms: summarize(latencies, 2),
    errors,
    conflict_retries: conflictStats.retried - retries0,
    ...(head !== undefined ? { audit_head_retries: head - head0! } : {}),
  };
}

async function contention(store: Store, items: number): Promise<Contention> {
  const targets = await createMany(store, items);
  const [retries0, head0] = [conflictStats.retried, headRetries(store)];
  const t0 = performance.now();
  const statuses = (await Promise.all(targets.map((s) => Promise.all(Array.from({ length: RACERS }, () => approve(store, s)))))).flat();
  const duration = performance.now() - t0;
  const approved = statuses.filter((s) => s === 200).length;
  const conflicts = statuses.filter((s) => s === 409).length;
  if (approved !== items || conflicts !== statuses.length - items) throw new Error(`contention: ${approved} approvals for ${items} items (statuses ${[...new Set(statuses)].join(', ')})`);
  const head = headRetries(store);
  return {
    items,
    racers_per_item: RACERS,
    approved,
    already_decided_409: conflicts,
    conflict_retries: conflictStats.retried - retries0,
    ...(head !== undefined ? { audit_head_retries: head - head0! } : {}),
    duration_ms: round(duration, 0),
  };
}

async function measure(ctx: BenchContext, label: string, store: Store, instance?: () => Store): Promise<Record<string, unknown>> {
  const sizes = ctx.quick ? { perLevel: 40, contended: 3 } : { perLevel: 300, contended: 10 };
  await updateSettings({ store, now: () => new Date() }, ADMIN, { ...DEFAULT_SETTINGS, approvers: [{ name: 'Bench approver', jiraAccountId: APPROVER.actor.id }] });
  ctx.log(`store: ${label}: warm-up`);
  await level(store, 8, sizes.perLevel / 4);
  const levels: Record<string, Level> = {};
  for (const c of CONCURRENCY) {
    ctx.log(`store: ${label}: ${sizes.perLevel} approvals at concurrency ${c}`);
    levels[`c${c}`] = await level(store, c, sizes.perLevel);
  }
  // As Lambda runs it: one store instance per worker, so their commits race for the audit head.
  const perWorker: Record<string, Level> = {};
  if (instance) {
    for (const c of CONCURRENCY.filter((c) => c > 1)) {
      ctx.log(`store: ${label}: ${sizes.perLevel} approvals at concurrency ${c}, one instance per worker`);
      const instances = Array.from({ length: c }, instance);
      try {
        perWorker[`c${c}`] = await level(store, c, sizes.perLevel, (w) => instances[w]!);
      } finally {
        for (const s of instances) await s.close();
      }
    }
  }
  ctx.log(`store: ${label}: ${RACERS} approvers racing each of ${sizes.contended} items`);
  return {
    store: store.describe,
    approvals: levels,
    ...(instance ? { approvals_one_instance_per_worker: perWorker } : {}),
    contention: await contention(store, sizes.contended),
  };
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pm-agent-bench-store-'));
  let local: DynamoDbLocal | undefined;
  const opened: Store[] = [];
  try {
    const sqlite = new SqliteStore(join(dir, 'bench.sqlite'));
    opened.push(sqlite);
    const sqliteResult = await measure(ctx, 'SQLite', sqlite);

    local = await startDynamoDbLocal({ log: ctx.log });
    const prefix = `bench${randomBytes(4).toString('hex')}`;
    const config = { region: DYNAMODB_LOCAL_REGION, endpoint: local.endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, tables: { main: `${prefix}-main`, audit: `${prefix}-audit` } };
    await ensureTables(config);
    const dynamo = new DynamoStore(config);
    opened.push(dynamo);
    const dynamoResult = await measure(ctx, 'DynamoDB Local', dynamo, () => new DynamoStore(config));
    return {
      operation: 'approveSuggestion (read suggestion and settings, decide, commit suggestion + audit entry as one change set), in process, no HTTP or signing',
      load_model:
        'closed loop over distinct pending items: `concurrency` workers, each starts its next approval when its last one ends. `approvals`: the workers share one store instance, as one backend process does (DynamoDB: its audit-appending commits queue in the instance); `approvals_one_instance_per_worker` (DynamoDB only): each worker its own instance, as concurrent Lambda instances, whose commits race for the audit head',
      notes:
        'DynamoDB Local runs in memory in a Java process on loopback and is a stand-in: its numbers say how the store code behaves under contention, not how fast DynamoDB is. Every commit names the one audit head item, so commits are serial by design: concurrent approvers re-chain onto the moved head (audit_head_retries) rather than run in parallel',
      sqlite: sqliteResult,
      dynamodb_local: dynamoResult,
    };
  } finally {
    for (const s of opened) await s.close().catch(() => undefined);
    await local?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function summary(result: SectionResult): string[] {
  const lines: string[] = [];
  for (const [label, key] of [
    ['SQLite', 'sqlite'],
    ['DynamoDB Local', 'dynamodb_local'],
  ] as const) {
    const r = result[key] as { approvals: Record<string, Level>; approvals_one_instance_per_worker?: Record<string, Level>; contention: Contention } | undefined;
    if (!r) continue;
    const rows = [...Object.values(r.approvals).map((l) => ['', l] as const), ...Object.values(r.approvals_one_instance_per_worker ?? {}).map((l) => [' (instance per worker)', l] as const)];
    for (const [how, l] of rows) {
      lines.push(
        `  ${(label + how).padEnd(36)} c=${String(l.concurrency).padEnd(3)} ${String(l.approvals_per_s).padStart(8)} approvals/s  p50 ${l.latency_ms.p50} ms  p99 ${l.latency_ms.p99} ms  retries ${l.conflict_retries}${l.audit_head_retries !== undefined ? ` (+${l.audit_head_retries} audit-head)` : ''}${Object.keys(l.errors).length ? `  errors ${JSON.stringify(l.errors)}` : ''}`,
      );
    }
    const c = r.contention;
    lines.push(`  ${label.padEnd(15)} ${c.racers_per_item} racing × ${c.items} items: ${c.approved} approved, ${c.already_decided_409} × 409, ${c.conflict_retries} conflict retries${c.audit_head_retries !== undefined ? `, ${c.audit_head_retries} audit-head retries` : ''}`);
  }
  return lines;
}
