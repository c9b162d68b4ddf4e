/**
 * Runs Forge's own bundler (`@forge/bundler`, the webpack step `forge deploy` runs before it
 * uploads) on the real manifest.yml, offline: the resolver function and every UI Kit resource.
 *
 *   PM_AGENT_BACKEND_HOST=example.invalid tsx tools/forge-bundle.ts [out-dir]
 *
 * Prints one JSON line: what was built, where, and how long it took. Exit 1 on any bundler error.
 * The Node runtime wrapper `forge deploy` fetches from Atlassian's CDN is not part of the webpack
 * step: a local provider hands over a placeholder instead, so nothing leaves the machine.
 */
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getEntryPoints, getNodeBundler, NativeUIBundler } from '@forge/bundler';
import { ManifestParserBuilder } from '@forge/manifest';

const ROOT = resolve(__dirname, '..');

const logger = {
  traceEnabled: false,
  debugEnabled: false,
  trace: () => undefined,
  debug: () => undefined,
  info: (m: string) => console.error(m),
  warn: (m: string) => console.error(`warning: ${m}`),
  error: (e: Error) => console.error(e.message),
};

/** Stands in for the CDN the wrapper comes from at deploy time; the webpack step only copies it. */
const localWrapper = {
  getNodeRuntimeWrapper: async () => ({ script: '/* local build: no Forge runtime wrapper */\n', source: 'local', version: 'local' }),
  getNodeRuntimeLoader: async () => ({ script: '/* local build: no Forge runtime loader */\n', source: 'local', version: 'local' }),
};

async function main(outDir: string | undefined): Promise<void> {
  // Forge resolves `src/<module>` and the resources relative to the app root, as the CLI does.
  process.chdir(ROOT);
  const manifest = new ManifestParserBuilder().withInterpolators().build().parseManifest({ content: readFileSync('manifest.yml', 'utf8'), filePath: 'manifest.yml' });
  const handlers = [...new Set((manifest.modules?.function ?? []).map((f) => f.handler))].map((h) => {
    const [module, func] = h.split('.') as [string, string];
    return { module, func };
  });
  const started = performance.now();
  const fn = await getNodeBundler(logger as never, localWrapper, { readConfig: async () => manifest } as never).bundle({ appDirectory: ROOT, entryPoints: getEntryPoints(handlers) });
  const fnMs = Math.round(performance.now() - started);
  const resources = (manifest.resources ?? []).filter((r) => /\.[jt]sx?$/.test(r.path));
  const ui = await new NativeUIBundler(logger as never).bundleResources(resources as never, undefined as never, false);
  const report = {
    function: { outputDir: fn.outputDir, ms: fnMs, entries: handlers.map((h) => h.module) },
    resources: ui.nativeUiBundlesDetails.map((r) => ({ key: r.key, outputDir: r.path })),
    ms: Math.round(performance.now() - started),
  };
  if (outDir) {
    mkdirSync(outDir, { recursive: true });
    cpSync(fn.outputDir, join(outDir, 'function'), { recursive: true });
    for (const r of report.resources) cpSync(r.outputDir, join(outDir, r.key), { recursive: true });
  }
  // The bundler writes to temporary directories it does not remove.
  for (const dir of [fn.outputDir, ...report.resources.map((r) => r.outputDir)]) rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(report));
}

main(process.argv[2]).catch((e: Error) => {
  console.error(`Forge bundler failed: ${e.message}`);
  process.exit(1);
});
