import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

/**
 * Builds the task pane with esbuild: browser, ES modules, minified, with code splitting so MSAL
 * (loaded by dynamic import only in msal mode) is a chunk of its own. One build for everyone: the
 * local host serves it, the tests scan it, the bench measures it, and `write: true` puts a
 * deployable folder on disk (default outlook-addin/dist).
 *
 *   npx tsx outlook-addin/build.ts [outdir]
 */
export interface BuildTaskPaneOptions {
  write?: boolean;
  outdir?: string;
}

/** What each output is for: the bench reports pane and MSAL separately, tests check the split. */
export type OutputRole = 'page' | 'asset' | 'pane-js' | 'pane-css' | 'msal-js' | 'auth-redirect-js';

export interface TaskPaneBuild {
  /** Output path relative to the pane's folder (e.g. "taskpane.js", "chunks/token-msal-X.js") → bytes. */
  files: Map<string, Uint8Array>;
  roles: Map<string, OutputRole>;
  /** JS that runs before the pane first draws the email: taskpane.js and its static imports. */
  openingJs: string[];
  /**
   * JS the pane page downloads when it opens: the opening JS, and the controller (start-pane.ts's
   * chunk and its static imports), which the page preloads and the entry runs after the first
   * drawing. MSAL is not in it (fetched only in msal mode, on the first sign-in).
   */
  initialJs: string[];
  /** esbuild's metafile, for size breakdowns (bench). */
  metafile: Metafile;
}

/**
 * The most JS (gzip) the pane may download when it opens (`initialJs`: the entry, the controller
 * and their static imports). Office.js is Microsoft's and not counted; MSAL is a separate chunk
 * fetched only in msal mode.
 * Checked by test/bundle.test.ts and reported by the bench (bench/sections/outlook.ts).
 */
export const INITIAL_JS_GZIP_BUDGET_KB = 60;

/**
 * The most JS (gzip) that runs before the pane first draws the email (`openingJs`). Parsing and
 * running JS is most of a first render's cost on a slow machine, so the drawing waits for none of
 * the schemas, the client or sign-in.
 */
export const OPENING_JS_GZIP_BUDGET_KB = 8;

const ROOT = __dirname;
const OUT = '/pane';

/**
 * zod's classic API keeps every locale (about 260 KB minified) reachable from its namespace object,
 * which esbuild cannot tree-shake. The pane only speaks English, so the locales index is replaced
 * by one that re-exports English alone. Error messages are unchanged (English is zod's default).
 */
const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[/\\]zod[/\\]v4[/\\](classic|core|mini)[/\\]/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), '..', 'locales', 'english-only.js'), namespace: 'zod-english-only', pluginData: { dir: join(dirname(args.importer), '..', 'locales') } };
    });
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: (args.pluginData as { dir: string }).dir,
      loader: 'js',
    }));
  },
};

/**
 * The pane validates with zod/mini: the same schema definitions as the server (shared/ is written in
 * the API both share; outlook-addin/tsconfig.mini.json type-checks the pane's path against zod/mini),
 * built from tree-shakable functions instead of classic zod's methods, which keep all of zod.
 */
const ZOD_MINI = { zod: 'zod/mini' };

/**
 * zod decides at import time whether it may compile parsers with `new Function`; under the pane's
 * CSP (no 'unsafe-eval') that probe is refused and reported as a CSP violation. Its `jitless`
 * setting skips the probe; the banner sets it before any chunk's code runs, whatever the order.
 */
const ZOD_JITLESS_BANNER = 'globalThis.__zod_globalConfig={...globalThis.__zod_globalConfig,jitless:true};';

export async function buildTaskPane(options: BuildTaskPaneOptions = {}): Promise<TaskPaneBuild> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: 'src/taskpane.ts', out: 'taskpane' },
      { in: 'src/taskpane.css', out: 'taskpane' },
      { in: 'src/auth/redirect.ts', out: 'auth-redirect' },
    ],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    outdir: OUT,
    write: false,
    metafile: true,
    logLevel: 'silent',
    banner: { js: ZOD_JITLESS_BANNER },
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: ZOD_MINI,
    plugins: [zodEnglishOnly],
  });
  const files = new Map<string, Uint8Array>();
  const roles = new Map<string, OutputRole>();
  for (const f of result.outputFiles) files.set(relative(f.path), f.contents);
  const openingJs = staticClosure(result.metafile, ['taskpane.js']);
  const initialJs = staticClosure(result.metafile, ['taskpane.js', controllerChunk(result.metafile)]);
  for (const [path, role] of classify(result.metafile, new Set(initialJs))) roles.set(path, role);
  for (const page of readdirSync(join(ROOT, 'public')).filter((n) => n.endsWith('.html'))) {
    const html = readFileSync(join(ROOT, 'public', page), 'utf8');
    files.set(page, new TextEncoder().encode(page === 'taskpane.html' ? withModulePreloads(html, initialJs) : html));
    roles.set(page, 'page');
  }
  for (const icon of readdirSync(join(ROOT, 'assets')).filter((n) => n.endsWith('.png'))) {
    files.set(`assets/${icon}`, readFileSync(join(ROOT, 'assets', icon)));
    roles.set(`assets/${icon}`, 'asset');
  }
  const out = { files, roles, openingJs, initialJs, metafile: result.metafile };
  if (options.write) writeOut(out, options.outdir ?? join(ROOT, 'dist'));
  return out;
}

const PANE_SCRIPT = '<script type="module" src="taskpane.js"></script>';

/**
 * The chunks the pane needs, announced in the page: the browser fetches them with taskpane.js
 * instead of after parsing it (one round trip less before the first drawing, and the controller
 * arrives while the email is being drawn).
 */
function withModulePreloads(html: string, initialJs: string[]): string {
  if (!html.includes(PANE_SCRIPT)) throw new Error(`public/taskpane.html no longer has ${PANE_SCRIPT}; update build.ts`);
  const links = initialJs.filter((n) => n !== 'taskpane.js').map((n) => `<link rel="modulepreload" href="${n}">\n`);
  return html.replace(PANE_SCRIPT, `${links.join('')}${PANE_SCRIPT}`);
}

function relative(path: string): string {
  return path.replace(/\\/g, '/').replace(new RegExp(`^${OUT}/`), '');
}

/** Metafile paths are relative to the working directory ("../../../pane/chunks/x.js"); names are relative to the pane. */
function outputName(metaPath: string): string {
  return metaPath.replace(/\\/g, '/').replace(/^.*?\/pane\//, '');
}

function outputs(meta: Metafile): Map<string, Metafile['outputs'][string]> {
  return new Map(Object.entries(meta.outputs).map(([path, output]) => [outputName(path), output]));
}

/**
 * Roles by reachability: what taskpane.js loads statically is the pane; chunks holding @azure/msal-*
 * code, and whatever they import, are MSAL (fetched only in msal mode); auth-redirect.js is the
 * popup fallback's landing page.
 */
function classify(meta: Metafile, initial: Set<string>): Array<[string, OutputRole]> {
  const all = outputs(meta);
  const msal = new Set<string>();
  const reach = (name: string) => {
    if (msal.has(name) || initial.has(name)) return;
    msal.add(name);
    for (const imp of all.get(name)?.imports ?? []) if (!imp.external) reach(outputName(imp.path));
  };
  for (const [name, output] of all) {
    if (name.endsWith('.js') && Object.keys(output.inputs).some((i) => i.includes('node_modules/@azure/msal-'))) reach(name);
  }
  // Chunks that only exist for MSAL (e.g. what its own import() calls load) import MSAL chunks.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, output] of all) {
      if (!name.endsWith('.js') || name === 'auth-redirect.js' || msal.has(name) || initial.has(name)) continue;
      if (output.imports.some((imp) => msal.has(outputName(imp.path)))) {
        reach(name);
        grew = true;
      }
    }
  }
  return [...all.keys()].map((name): [string, OutputRole] => {
    if (name.endsWith('.css')) return [name, 'pane-css'];
    if (name === 'auth-redirect.js') return [name, 'auth-redirect-js'];
    return [name, msal.has(name) ? 'msal-js' : 'pane-js'];
  });
}

/** The controller's chunk: what taskpane.ts loads with import('./start-pane'). */
function controllerChunk(meta: Metafile): string {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === 'src/start-pane.ts');
  if (!found) throw new Error('the build has no chunk for src/start-pane.ts; taskpane.ts must load it with import()');
  return outputName(found[0]);
}

/** The entries and everything they import statically (not through import()). */
function staticClosure(meta: Metafile, entries: string[]): string[] {
  const all = outputs(meta);
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const imp of all.get(name)?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) visit(outputName(imp.path));
    }
  };
  for (const entry of entries) visit(entry);
  return [...seen];
}

function writeOut(out: TaskPaneBuild, outdir: string): void {
  for (const [name, bytes] of out.files) {
    const target = join(outdir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

if (require.main === module) {
  const outdir = process.argv[2] ?? join(ROOT, 'dist');
  buildTaskPane({ write: true, outdir }).then(
    (b) => console.log(`Wrote ${b.files.size} files to ${outdir} (copy public/config.example.json there as config.json and fill it in).`),
    (e: Error) => {
      console.error(`Build failed: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
