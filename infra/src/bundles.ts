import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { FUNCTION_NAMES, FUNCTIONS, type FunctionName } from './functions';

/**
 * Each Lambda's code: one esbuild bundle per function (node22, CommonJS, minified), with the AWS
 * SDK inside so the deployed code is what was tested. Native modules never go in: the SQLite
 * addon is replaced by a stub (the AWS store is DynamoDB), and `checkBundle` refuses any `.node` input.
 */
export const REPO_ROOT = resolve(__dirname, '../..');
export const DEFAULT_BUNDLE_DIR = join(REPO_ROOT, 'infra/.build');
/** Packages that must never be inside a Lambda bundle (native addons, local-only code). */
export const NEVER_BUNDLED = ['better-sqlite3'];

export interface BundleInfo {
  fn: FunctionName;
  dir: string;
  file: string;
  bytes: number;
  inputs: string[];
}

export async function bundleFunction(fn: FunctionName, outRoot = DEFAULT_BUNDLE_DIR): Promise<BundleInfo> {
  const dir = join(outRoot, fn);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.js');
  const result = await build({
    entryPoints: [join(REPO_ROOT, FUNCTIONS[fn].entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    // The SQLite addon is replaced by a stub that says why it cannot open (see lambda-stubs/).
    alias: Object.fromEntries(NEVER_BUNDLED.map((n) => [n, join(__dirname, 'lambda-stubs', `${n}.js`)])),
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys((result.metafile as Metafile).inputs);
  checkBundle(fn, inputs);
  return { fn, dir, file, bytes: statSync(file).size, inputs };
}

export async function bundleAll(outRoot = DEFAULT_BUNDLE_DIR): Promise<Record<FunctionName, BundleInfo>> {
  const out = {} as Record<FunctionName, BundleInfo>;
  for (const fn of FUNCTION_NAMES) out[fn] = await bundleFunction(fn, outRoot);
  return out;
}

function checkBundle(fn: FunctionName, inputs: string[]): void {
  const native = inputs.filter((i) => i.endsWith('.node') || NEVER_BUNDLED.some((n) => i.includes(`node_modules/${n}/`)));
  if (native.length) throw new Error(`the ${fn} bundle would contain native or local-only code: ${native.join(', ')}`);
  const local = inputs.filter((i) => i.includes('dev-stack/'));
  if (local.length) throw new Error(`the ${fn} bundle would contain local stand-ins: ${local.join(', ')}`);
}
