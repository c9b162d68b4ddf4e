import { build, type BuildOptions } from 'esbuild';

/**
 * Builds a browser bundle in memory (for the panels and the pane the local host serves). Cached for
 * the life of the process: the local host is restarted to pick up source changes.
 */
const cache = new Map<string, Promise<Map<string, Uint8Array>>>();

export function browserBundle(key: string, options: BuildOptions): Promise<Map<string, Uint8Array>> {
  let hit = cache.get(key);
  if (!hit) {
    hit = build({ bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, sourcemap: false, write: false, logLevel: 'silent', outdir: '/bundle', ...options }).then(
      (r) => new Map((r.outputFiles ?? []).map((f) => [f.path.replace(/^\/bundle\//, ''), f.contents])),
    );
    cache.set(key, hit);
  }
  return hit;
}
