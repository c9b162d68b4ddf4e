import { resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Every production entry, bundled as it ships: none may contain a local stand-in, the local host,
 * a bench or test support (esbuild's metafile lists every input). Outside npm packages stay
 * external: only our own code is the question here.
 */
const ROOT = resolve(__dirname, '../..');

const ENTRIES = {
  'API (Lambda)': { entry: 'backend/src/aws/lambda-entry.ts', platform: 'node' },
  'sanitise stage': { entry: 'backend/src/stages/sanitise/main.ts', platform: 'node' },
  'classify stage': { entry: 'backend/src/stages/classify/main.ts', platform: 'node' },
  'execute stage': { entry: 'backend/src/stages/execute/main.ts', platform: 'node' },
  'sanitise Lambda': { entry: 'backend/src/aws/sanitise-handler.ts', platform: 'node' },
  'classify Lambda': { entry: 'backend/src/aws/classify-handler.ts', platform: 'node' },
  'execute Lambda': { entry: 'backend/src/aws/execute-handler.ts', platform: 'node' },
  'dispatcher Lambda': { entry: 'backend/src/aws/dispatcher-handler.ts', platform: 'node' },
  'Forge resolver': { entry: 'src/index.ts', platform: 'node' },
  'Outlook task pane': { entry: 'outlook-addin/src/taskpane.ts', platform: 'browser' },
  'Outlook sign-in redirect': { entry: 'outlook-addin/src/auth/redirect.ts', platform: 'browser' },
} as const;

const STAND_IN = /(^|\/)(dev-stack|local-host|bench|tools)\/|forge-app\/src\/stand-ins\/|(^|\/)test\//;

const outsidePackagesExternal: Plugin = {
  name: 'outside-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@pm-agent/') ? undefined : { path: args.path, external: true }));
  },
};

async function inputsOf(entry: string, platform: 'node' | 'browser'): Promise<string[]> {
  const result = await build({ absWorkingDir: ROOT, entryPoints: [entry], bundle: true, write: false, metafile: true, platform, format: 'esm', logLevel: 'silent', plugins: [outsidePackagesExternal] });
  return Object.keys(result.metafile.inputs);
}

describe.each(Object.entries(ENTRIES))('the %s bundle', (_name, { entry, platform }) => {
  it('holds no stand-in, local host, bench or test support', async () => {
    const inputs = await inputsOf(entry, platform);
    expect(inputs).toContain(entry); // the check below looked at the real thing
    expect(inputs.filter((f) => STAND_IN.test(f))).toEqual([]);
  });
});

it('the check sees a stand-in when one is bundled', async () => {
  const inputs = await inputsOf('dev-stack/src/index.ts', 'node');
  expect(inputs.filter((f) => STAND_IN.test(f)).length).toBeGreaterThan(0);
});

it('each stage bundle holds only its own stage folder, the shared model and host code, and the contracts', async () => {
  for (const stage of ['sanitise', 'classify', 'execute']) {
    const inputs = await inputsOf(`backend/src/stages/${stage}/main.ts`, 'node');
    const backend = inputs.filter((f) => f.startsWith('backend/src/'));
    expect(backend.filter((f) => !new RegExp(`^backend/src/(stages/(${stage}|model|host)|contracts)/`).test(f))).toEqual([]);
  }
});

it('the API Lambda bundle holds no stage code', async () => {
  const inputs = await inputsOf('backend/src/aws/lambda-entry.ts', 'node');
  expect(inputs.filter((f) => f.startsWith('backend/src/stages/'))).toEqual([]);
});
