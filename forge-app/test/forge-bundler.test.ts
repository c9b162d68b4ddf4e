import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * Forge's own bundler (the webpack step `forge deploy` runs) on the real manifest.yml, offline:
 * the resolver function and both UI Kit resources must build from the committed tree, and the
 * function must not carry the platform stand-ins. Slow (minutes on a loaded machine): it runs
 * once per `npm test`.
 */
const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

interface Report {
  function: { entries: string[] };
  resources: Array<{ key: string }>;
}

let out: string;
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('builds the function and both UI Kit resources from manifest.yml', async () => {
  out = mkdtempSync(join(tmpdir(), 'forge-bundle-'));
  // Only what the manifest needs to parse: no credentials, no Atlassian login.
  const env = { PATH: process.env.PATH ?? '', HOME: tmpdir(), PM_AGENT_BACKEND_HOST: 'backend.example.invalid' };
  const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'tools/forge-bundle.ts', out], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
  const report = JSON.parse(stdout.trim().split('\n').pop() ?? '') as Report;

  expect(report.function.entries).toEqual(['index']);
  expect(report.resources.map((r) => r.key).sort()).toEqual(['admin-page', 'issue-panel']);

  const fn = readFileSync(join(out, 'function/index.cjs'), 'utf8');
  expect(fn).toContain('getDefinitions');
  for (const key of ['issue-panel', 'admin-page']) {
    expect(existsSync(join(out, key, 'index.html'))).toBe(true);
    expect(readdirSync(join(out, key))).toContain(`${key}.js`);
  }
  // Source map: every module the function bundles. None may be a stand-in.
  const sources = (JSON.parse(readFileSync(join(out, 'function/index.cjs.map'), 'utf8')) as { sources: string[] }).sources;
  expect(sources.some((s) => s.includes('forge-app/src/resolvers/'))).toBe(true);
  expect(sources.filter((s) => /stand-ins|dev-stack|local-host|memory-ports/.test(s))).toEqual([]);
}, 20 * 60_000);
