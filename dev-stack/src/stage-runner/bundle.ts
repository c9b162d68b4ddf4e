import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * Stages run from a single bundled file each, so Node's permission model can limit a stage's file
 * reads to its own code: one directory, one file. Bundles are cached by a fingerprint of the
 * sources, and written to a temporary directory first so concurrent starts never see a half-built one.
 */
const SOURCE_ROOTS = [resolve(__dirname, '../../../backend/src'), resolve(__dirname, '../../../shared/src')];

export async function bundleStage(name: string, entry: string, cacheRoot: string): Promise<string> {
  const dir = join(cacheRoot, `${name}-${fingerprint()}`);
  const file = join(dir, 'index.js');
  if (existsSync(file)) return file;
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: join(tmp, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'silent',
    legalComments: 'none',
  });
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process won the race; its bundle is identical
  }
  return file;
}

let cached: string | undefined;
function fingerprint(): string {
  if (cached) return cached;
  const hash = createHash('sha256');
  for (const root of SOURCE_ROOTS) walk(root, (f) => hash.update(f).update(readFileSync(f)));
  cached = hash.digest('hex').slice(0, 16);
  return cached;
}

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, visit);
    else if (name.endsWith('.ts')) visit(path);
  }
}
