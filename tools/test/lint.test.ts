import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * `npm run lint` (dependency-cruiser with .dependency-cruiser.cjs) fails on each kind of bad
 * import, shown on a small tree in a temporary directory laid out like the repository.
 */
const ROOT = resolve(__dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
// dependency-cruiser runs on Node 22+; npm scripts get it from the node@22 package, so may this.
const NODE22 = join(ROOT, 'node_modules/node/bin/node');
const NODE = Number(process.versions.node.split('.')[0]) >= 22 || !existsSync(NODE22) ? process.execPath : NODE22;
const run = promisify(execFile);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function lint(files: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'lint-'));
  dirs.push(dir);
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  const tree = {
    'backend/package.json': JSON.stringify({ name: '@pm-agent/backend', exports: { './api': './src/api/index.ts', './test/support/*': './test/support/*.ts' } }),
    ...files,
  };
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const roots = [...new Set(Object.keys(tree).map((p) => p.split('/')[0]!))];
  try {
    const { stdout } = await run(NODE, [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'err', ...roots], { cwd: dir });
    return { ok: true, output: stdout };
  } catch (e) {
    return { ok: false, output: `${(e as { stdout?: string }).stdout}${(e as { stderr?: string }).stderr}` };
  }
}

const OK = 'export const x = 1;\n';

it('passes a tree that keeps the rules (public entries, wildcard test support, stages through contracts)', async () => {
  const r = await lint({
    'backend/src/api/index.ts': OK,
    'backend/test/support/until.ts': OK,
    'backend/src/stages/sanitise/main.ts': "import '../../contracts/io';\n",
    'backend/src/contracts/io.ts': OK,
    'local-host/src/a.ts': "import '../../backend/src/api/index';\n",
    'local-host/test/a.test.ts': "import '../../backend/test/support/until';\n",
  });
  expect(r).toEqual({ ok: true, output: expect.stringContaining('no dependency violations') });
});

it.each([
  ['production-imports-stand-in', { 'backend/src/api/a.ts': "import '../../../dev-stack/src/issuer';\n", 'dev-stack/src/issuer.ts': OK }],
  ['production-imports-stand-in', { 'backend/src/api/a.ts': "import '../../test/support/helper';\n", 'backend/test/support/helper.ts': OK }],
  ['deep-import-of-another-package', { 'local-host/src/a.ts': "import '../../backend/src/api/http/app';\n", 'backend/src/api/http/app.ts': OK }],
  ['stage-imports-api', { 'backend/src/stages/classify/a.ts': "import '../../api/pipeline';\n", 'backend/src/api/pipeline.ts': OK }],
  ['api-imports-stage', { 'backend/src/api/a.ts': "import '../stages/execute/jira';\n", 'backend/src/stages/execute/jira.ts': OK }],
  ['stage-imports-other-stage', { 'backend/src/stages/sanitise/a.ts': "import '../classify/b';\n", 'backend/src/stages/classify/b.ts': OK }],
  ['shared-stage-code-imports-a-stage', { 'backend/src/stages/model/prompts.ts': "import '../classify/suspicious';\n", 'backend/src/stages/classify/suspicious.ts': OK }],
  ['api-lambda-reaches-stage', { 'backend/src/aws/lambda-entry.ts': "import './helper';\n", 'backend/src/aws/helper.ts': "import '../stages/model/config';\n", 'backend/src/stages/model/config.ts': OK }],
  ['no-circular', { 'shared/src/a.ts': "import './b';\nexport const a = 1;\n", 'shared/src/b.ts': "import './a';\nexport const b = 1;\n" }],
  ['not-to-unresolvable', { 'local-host/src/a.ts': "import '../../backend/src/gone';\n" }],
])('fails on %s', async (rule, files) => {
  const r = await lint(files);
  expect(r.ok).toBe(false);
  expect(r.output).toContain(`error ${rule}:`);
});
