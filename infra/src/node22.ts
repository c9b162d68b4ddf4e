import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './bundles';

/** The Node 22 binary from the `node@22` dev dependency: Lambda's nodejs22.x line, on this machine. */
export const NODE22 = join(REPO_ROOT, 'node_modules/node/bin/node');

/**
 * Loads a bundle in a fresh Node 22 process, as Lambda's init phase does, and returns the
 * process's version and how long `require(bundle)` took (module initialisation), in ms.
 */
export function coldInit(bundleFile: string, env: Record<string, string> = {}): { version: string; initMs: number; exports: string[] } {
  const script = `const t=process.hrtime.bigint();const m=require(${JSON.stringify(bundleFile)});const ms=Number(process.hrtime.bigint()-t)/1e6;process.stdout.write(JSON.stringify({version:process.version,initMs:ms,exports:Object.keys(m)}))`;
  const out = execFileSync(NODE22, ['-e', script], { env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', ...env }, encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as { version: string; initMs: number; exports: string[] };
}
