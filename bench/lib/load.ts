import { performance } from 'node:perf_hooks';
import { round, summarize, type Summary } from './stats';

export interface LoadOptions {
  /** Requests to send in total, unless the time cap comes first. */
  total: number;
  /** Requests in flight at once (one async worker each). */
  concurrency: number;
  /** No new request starts after this; ones in flight finish. */
  timeCapMs: number;
  /** The only status counted as success. */
  expectStatus: number;
  /** Sends request number i (0-based). The whole call and reading the body are timed. */
  send: (i: number) => Promise<Response>;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  ok: number;
  /** Requests that threw or answered with another status than expected. */
  errors: number;
  statuses: Record<string, number>;
  /** Up to 5 distinct failures: "503 {…first 200 chars…}" or "TypeError: fetch failed (ECONNRESET)". */
  error_samples: string[];
  time_capped: boolean;
  duration_ms: number;
  requests_per_s: number;
  /** Over successful requests only; null if there were none. */
  latency_ms: Summary | null;
}

/** A closed-loop load: `concurrency` workers, each sending its next request as soon as the last one ends. */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const samples = new Set<string>();
  let next = 0;
  let errors = 0;
  let timeCapped = false;
  const start = performance.now();
  const deadline = start + opts.timeCapMs;

  const worker = async () => {
    while (next < opts.total) {
      if (performance.now() >= deadline) {
        timeCapped = true;
        return;
      }
      const i = next++;
      const t0 = performance.now();
      try {
        const res = await opts.send(i);
        const body = await res.text();
        const ms = performance.now() - t0;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status === opts.expectStatus) latencies.push(ms);
        else {
          errors++;
          if (samples.size < 5) samples.add(`${res.status} ${body.slice(0, 200)}`);
        }
      } catch (e) {
        errors++;
        statuses.exception = (statuses.exception ?? 0) + 1;
        if (samples.size < 5) samples.add(describeError(e));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = performance.now() - start;
  const requests = latencies.length + errors;
  return {
    concurrency: opts.concurrency,
    requests,
    ok: latencies.length,
    errors,
    statuses,
    error_samples: [...samples],
    time_capped: timeCapped,
    duration_ms: round(durationMs, 1),
    requests_per_s: round((requests / durationMs) * 1000, 1),
    latency_ms: latencies.length ? summarize(latencies, 3) : null,
  };
}

function describeError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : '';
  return `${e.name}: ${e.message}${detail ? ` (${detail})` : ''}`;
}
