import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleAll, type BundleInfo } from '../src/bundles';
import { FUNCTION_NAMES, type FunctionName } from '../src/functions';
import { coldInit, NODE22 } from '../src/node22';

/**
 * The Lambda bundles as they are deployed: built by esbuild for node22, loaded and run under the
 * real Node 22 binary (node@22), with no native module and no local stand-in inside.
 */
let out: string;
let bundles: Record<FunctionName, BundleInfo>;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'pm-agent-bundles-'));
  bundles = await bundleAll(out);
}, 240_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it.each(FUNCTION_NAMES)('%s loads under Node 22 and exports handler; no native module, no stand-in, no SQLite addon', (fn) => {
    const b = bundles[fn];
    expect(b.inputs.filter((i) => i.endsWith('.node') || i.includes('dev-stack/') || i.includes('node_modules/better-sqlite3/'))).toEqual([]);
    const text = readFileSync(b.file, 'utf8');
    expect(text).not.toMatch(/\.node["']\)/); // no require of a compiled addon
    const r = coldInit(b.file);
    expect(r.version).toMatch(/^v22\./);
    expect(r.exports).toContain('handler');
  });

  it('the triage bundles run a Step Functions task input end to end under Node 22', () => {
    const email = JSON.parse(readFileSync(join(__dirname, '../../backend/test/fixtures/emails/ordinary/deadline-moves-abc-123.json'), 'utf8'));
    const input = { sanitise: { email, model: null }, classify: { ctx: { internalDomains: ['example.com'], defaultProjectKey: 'ABC' }, model: null } };
    const script = `(async()=>{const s=require(${JSON.stringify(bundles.sanitise.file)});const c=require(${JSON.stringify(bundles.classify.file)});const input=JSON.parse(process.argv[1]);const sanitised=await s.handler(input);const classified=await c.handler({sanitised,classify:input.classify});process.stdout.write(JSON.stringify({node:process.version,sanitised,classified}))})().catch(e=>{console.error(e);process.exit(1)})`;
    const res = JSON.parse(execFileSync(NODE22, ['-e', script, JSON.stringify(input)], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 }));
    expect(res.node).toMatch(/^v22\./);
    expect(res.sanitised.sanitised.facts.issueKeys).toContain('ABC-123');
    expect(res.classified.classification.category).toBe('deadline_change');
  });
});
