import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { RESOURCES } from '@pm-agent/forge-app/common/modules';
import { resolverDefinitions } from '@pm-agent/forge-app/resolvers';
import { createMemoryPorts, forgeContextFor } from '@pm-agent/forge-app/stand-ins';
import { startLocalBackend, type LocalBackend } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { budget } from '../lib/budget';
import type { BenchContext, SectionResult } from '../lib/section';
import { summarize } from '../lib/stats';

/**
 * The Jira app: the resolver's cost per issue-panel load (the real resolver, signing with
 * backend-client, against the real local backend), and the size of the UI Kit page bundles as a
 * browser build (minified, each page whole, React and @forge/react included).
 */
export const name = 'jira';

const ROOT = join(__dirname, '../..');
const BUDGET_PANEL_LOAD_P99_MS = 100;
const BUDGET_BUNDLE_GZIP_KB = 250;

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const bundles: Record<string, unknown> = {};
  for (const [page, resource] of Object.entries(RESOURCES)) {
    const out = await build({ entryPoints: [join(ROOT, resource.path)], bundle: true, minify: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent' });
    const js = out.outputFiles[0]!.contents;
    const gzipKb = gzipSync(js).byteLength / 1024;
    bundles[page] = { raw_kb: Number((js.byteLength / 1024).toFixed(1)), gzip_kb: Number(gzipKb.toFixed(1)), budget: budget('gzip_kb', gzipKb, BUDGET_BUNDLE_GZIP_KB) };
  }

  const n = ctx.quick ? 50 : 400;
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-bench-jira-'));
  let backend: LocalBackend | undefined;
  try {
    backend = await startLocalBackend({ home, port: 0, seed: true });
    const ports = createMemoryPorts({ admins: [LOCAL_USER.accountId] });
    const resolvers = resolverDefinitions(ports);
    const { principals, region } = backend.files.credentials;
    const admin = forgeContextFor('adminPage', { accountId: LOCAL_USER.accountId }).resolver;
    await resolvers.saveConnection({ payload: { endpoint: backend.url, region, ...principals.forge }, context: admin });
    const panel = forgeContextFor('issuePanel', { accountId: LOCAL_USER.accountId, issueKey: 'ABC-123' }).resolver;
    const load = () => resolvers.getIssueSuggestions({ payload: {}, context: panel });
    const first = (await load()) as { ok: boolean };
    if (!first.ok) throw new Error(`getIssueSuggestions failed: ${JSON.stringify(first)}`);
    for (let i = 0; i < 30; i++) await load();
    ctx.log(`jira: ${n} panel loads through the resolver`);
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await load();
      times.push(performance.now() - t0);
    }
    const s = summarize(times);
    return {
      bundles,
      panel_load: { requests: n, includes: 'payload and context checks, signing with backend-client (aws4fetch), the backend round trip(s), response validation', latency_ms: s, budget: budget('p99_ms', s.p99, BUDGET_PANEL_LOAD_P99_MS) },
    };
  } finally {
    await backend?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export function summary(r: SectionResult): string[] {
  const b = r.bundles as Record<string, { gzip_kb: number; raw_kb: number }>;
  const l = (r.panel_load as { latency_ms: { p50: number; p99: number } }).latency_ms;
  return [
    ...Object.entries(b).map(([k, v]) => `UI Kit bundle ${k}: ${v.raw_kb} KB raw, ${v.gzip_kb} KB gzip`),
    `issue panel load through the resolver: p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms`,
  ];
}
