import { resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/**
 * Every production entry, bundled as it ships: none may contain a local stand-in, the local host
 * or test support. Outside packages stay external (only our own code is the question here).
 */
const ROOT = resolve(__dirname, '../..');

const ENTRIES = {
  'API (Lambda)': { entry: 'backend/src/aws/lambda-entry.ts', platform: 'node' },
  'sanitise stage': { entry: 'backend/src/stages/sanitise/main.ts', platform: 'node' },
  'classify stage': { entry: 'backend/src/stages/classify/main.ts', platform: 'node' },
  'execute stage': { entry: 'backend/src/stages/execute/main.ts', platform: 'node' },
  'Forge resolver': { entry: 'src/index.ts', platform: 'node' },
  'Outlook task pane': { entry: 'outlook-addin/src/taskpane.ts', platform: 'browser' },
  'Outlook sign-in redirect': { entry: 'outlook-addin/src/auth/redirect.ts', platform: 'browser' },
} as const;

const STAND_IN = /(^|\/)(dev-stack|local-host|bench)\/|forge-app\/src\/stand-ins\/|(^|\/)test\//;

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
  it('holds no stand-in, local host or test support', async () => {
    const inputs = await inputsOf(entry, platform);
    expect(inputs).toContain(entry); // the check below looked at the real thing
    expect(inputs.filter((f) => STAND_IN.test(f))).toEqual([]);
  });
});

it('the check sees a stand-in when one is bundled', async () => {
  const inputs = await inputsOf('dev-stack/src/index.ts', 'node');
  expect(inputs.filter((f) => STAND_IN.test(f)).length).toBeGreaterThan(0);
});

it('each stage bundle holds only its own stage folder (plus the shared model and host code)', async () => {
  for (const stage of ['sanitise', 'classify', 'execute']) {
    const inputs = await inputsOf(`backend/src/stages/${stage}/main.ts`, 'node');
    const backend = inputs.filter((f) => f.startsWith('backend/src/'));
    // Known exception: model/prompts.ts (both triage stages' prompts) names classify's suspicious signal kinds.
    const allowed = new RegExp(`^backend/src/(stages/(${stage}|model|host)|contracts)/|^backend/src/stages/classify/suspicious\\.ts$`);
    expect(backend.filter((f) => !allowed.test(f))).toEqual([]);
  }
});
