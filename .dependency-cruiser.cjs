/**
 * `npm run lint`: the layout's rules, checked on the module graph with dependency-cruiser. Chosen
 * over ESLint (typescript-eslint) because every rule here is about which folder may import which,
 * across packages and through `exports` maps, and about cycles and reachability: a graph question
 * that dependency-cruiser answers from resolved paths, with no per-file lint setup or type program.
 * Paths are relative to the directory lint runs in (the repository root).
 */
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const PACKAGES = ['shared', 'backend-client', 'backend', 'dev-stack', 'forge-app', 'outlook-addin', 'local-host', 'infra'];
const PKG = `(${PACKAGES.join('|')})`;
const esc = (s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** Each package's public entries, from its `exports` map: the only files another package may import. */
function publicEntries(root) {
  const entries = [];
  for (const name of PACKAGES) {
    const file = join(root, name, 'package.json');
    if (!existsSync(file)) continue;
    const exportsMap = JSON.parse(readFileSync(file, 'utf8')).exports ?? {};
    for (const target of Object.values(exportsMap)) {
      if (typeof target !== 'string') continue;
      entries.push(`^${esc(`${name}/${target.replace(/^\.\//, '')}`).replace('*', '[^/]+')}$`);
    }
  }
  return entries;
}

/** Code that ships: the packages' src/ (minus Forge's stand-ins), the pane's build, the Forge root's src/, the CDK app. */
const PRODUCTION = ['^(shared|backend-client|backend|forge-app|outlook-addin)/src/', '^outlook-addin/build\\.ts$', '^src/', '^infra/(src|bin)/'];
/** Local stand-ins, the local host, benches, tools (the root's and the backend's training and measuring scripts) and test support. */
const STAND_INS_AND_TEST_SUPPORT = ['^dev-stack/', '^local-host/', '^bench/', '^tools/', '^backend/tools/', '^forge-app/src/stand-ins/', '(^|/)test/'];

module.exports = {
  forbidden: [
    {
      name: 'production-imports-stand-in',
      comment: 'Production code never reaches a local stand-in, the local host, benches or test support.',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: '^forge-app/src/stand-ins/' },
      to: { path: STAND_INS_AND_TEST_SUPPORT },
    },
    {
      name: 'deep-import-of-another-package',
      comment: "A package reaches another only through that package's exports map (its public entries), never its src/ files. bench/ and tools/ (not packages) may measure internals.",
      severity: 'error',
      from: { path: `^${PKG}/` },
      to: { path: `^${PKG}/`, pathNot: ['^$1/', ...publicEntries(process.cwd())] },
    },
    {
      name: 'stage-imports-api',
      comment: 'A stage holds only its own code: never the API process, the store, the domain or the AWS entries.',
      severity: 'error',
      from: { path: '^backend/src/stages/' },
      to: { path: '^backend/src/(api|aws|store|domain)/' },
    },
    {
      name: 'api-imports-stage',
      comment: 'The API process reaches the stages only through what crosses the boundary (backend/src/contracts).',
      severity: 'error',
      from: { path: '^backend/src/(api|domain|store|contracts)/' },
      to: { path: '^backend/src/stages/' },
    },
    {
      name: 'stage-imports-other-stage',
      comment: "Each stage's folder is its own process: sanitise, classify and execute share only model/ and host/.",
      severity: 'error',
      from: { path: '^backend/src/stages/(sanitise|classify|execute)/' },
      to: { path: '^backend/src/stages/(sanitise|classify|execute)/', pathNot: '^backend/src/stages/$1/' },
    },
    {
      name: 'shared-stage-code-imports-a-stage',
      comment: "model/ and host/ go into more than one stage's bundle, so they import no one stage's folder.",
      severity: 'error',
      from: { path: '^backend/src/stages/(model|host)/' },
      to: { path: '^backend/src/stages/(sanitise|classify|execute)/' },
    },
    {
      name: 'api-lambda-reaches-stage',
      comment: "The API Lambda's bundle holds no stage code (on AWS the stages are their own functions).",
      severity: 'error',
      from: { path: '^backend/src/aws/lambda-entry\\.ts$' },
      to: { path: '^backend/src/stages/', reachable: true },
    },
    {
      name: 'triage-lambda-reaches-api',
      comment: "The sanitise and classify Lambdas hold no API, store or domain code. (The execute Lambda records outcomes in the store by design: backend/src/aws/execute-handler.ts.)",
      severity: 'error',
      from: { path: '^backend/src/aws/(sanitise|classify)-handler\\.ts$' },
      to: { path: '^backend/src/(api|store|domain)/', reachable: true },
    },
    {
      name: 'no-circular',
      comment: 'Modules that import each other cannot be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing (e.g. a deep path an exports map does not offer).',
      severity: 'error',
      from: {},
      // office-js is a global types package (/// <reference types>), not a module.
      to: { couldNotResolve: true, pathNot: '^office-js$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '(^|/)\\.local/', 'fixtures/', '(^|/)cdk\\.out/'] },
    tsPreCompilationDeps: true,
    ...(existsSync('tsconfig.json') ? { tsConfig: { fileName: 'tsconfig.json' } } : {}),
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.cjs', '.mjs', '.json'] },
  },
};
