import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
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
export type OutputRole = 'page' | 'asset' | 'pane-js' | 'msal-js' | 'auth-redirect-js';

export interface TaskPaneBuild {
  /** Output path relative to the pane's folder (e.g. "taskpane.html", "chunks/token-msal-X.js") → bytes. */
  files: Map<string, Uint8Array>;
  roles: Map<string, OutputRole>;
  /**
   * What taskpane.html carries inline, so that nothing but Office.js is fetched before the email is
   * first drawn: the opening JS (src/taskpane.ts and its imports, self-contained) and the pane's CSS,
   * with the CSP hash-sources that allow exactly these two elements and nothing else inline.
   */
  inline: { openingJs: string; css: string; scriptHash: string; styleHash: string };
  /** The controller's files: start-pane.ts's chunk first, then its static imports. The opening fetches them after the first drawing. */
  controllerJs: string[];
  /** esbuild's metafile of the files, and of the inline opening JS (for size breakdowns in the bench). */
  metafile: Metafile;
  openingMetafile: Metafile;
}

/**
 * The most JS (gzip) the pane may download when it opens (`initialJsGzipBytes`: the inline opening
 * JS, the controller and its static imports). Office.js is Microsoft's and not counted; MSAL is a separate chunk
 * fetched only in msal mode.
 * Checked by test/bundle.test.ts and reported by the bench (bench/sections/outlook.ts).
 */
export const INITIAL_JS_GZIP_BUDGET_KB = 60;

/**
 * The most JS (gzip) that runs before the pane first draws the email (`inline.openingJs`). Parsing and
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

const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  write: false,
  metafile: true,
  logLevel: 'silent',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: ZOD_MINI,
} as const;

export async function buildTaskPane(options: BuildTaskPaneOptions = {}): Promise<TaskPaneBuild> {
  // The files: the controller, MSAL's chunks and the sign-in redirect page's JS. taskpane.ts is an
  // entry here only so that esbuild splits the controller off as a hashed chunk the opening can
  // import(); its own output is not shipped (the page inlines the self-contained opening below).
  const result = await build({
    ...COMMON,
    entryPoints: [
      { in: 'src/taskpane.ts', out: 'taskpane' },
      { in: 'src/taskpane.css', out: 'taskpane' },
      { in: 'src/auth/redirect.ts', out: 'auth-redirect' },
    ],
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outdir: OUT,
    banner: { js: ZOD_JITLESS_BANNER },
    plugins: [zodEnglishOnly],
  });
  const built = new Map(result.outputFiles.map((f) => [relative(f.path), f]));
  const controller = controllerChunk(result.metafile);
  const controllerJs = staticClosure(result.metafile, [controller]);
  const opening = await buildOpening(controller, controllerJs.slice(1));
  const css = built.get('taskpane.css')!.text;
  const inline = { openingJs: opening.js, css, scriptHash: cspHash(opening.js), styleHash: cspHash(css) };

  const files = new Map<string, Uint8Array>();
  const roles = new Map<string, OutputRole>();
  for (const [name, f] of built) if (!INLINED.has(name)) files.set(name, f.contents);
  for (const [path, role] of classify(result.metafile, new Set(controllerJs))) if (files.has(path)) roles.set(path, role);
  for (const page of readdirSync(join(ROOT, 'public')).filter((n) => n.endsWith('.html'))) {
    const html = readFileSync(join(ROOT, 'public', page), 'utf8');
    files.set(page, new TextEncoder().encode(page === 'taskpane.html' ? withInlineOpening(html, inline) : html));
    roles.set(page, 'page');
  }
  for (const icon of readdirSync(join(ROOT, 'assets')).filter((n) => n.endsWith('.png'))) {
    files.set(`assets/${icon}`, readFileSync(join(ROOT, 'assets', icon)));
    roles.set(`assets/${icon}`, 'asset');
  }
  const out = { files, roles, inline, controllerJs, metafile: result.metafile, openingMetafile: opening.metafile };
  if (options.write) writeOut(out, options.outdir ?? join(ROOT, 'dist'));
  return out;
}

/** Built outputs the page carries inline instead of fetching. */
const INLINED = new Set(['taskpane.js', 'taskpane.css']);

/** gzip size of everything the pane downloads when it opens: the inline opening JS and the controller's files (the budget's measure). */
export function initialJsGzipBytes(pane: TaskPaneBuild): number {
  return gzipSync(pane.inline.openingJs).length + pane.controllerJs.reduce((sum, n) => sum + gzipSync(pane.files.get(n)!).length, 0);
}

/** Each input's minified bytes in what the pane downloads when it opens: the inline opening JS, then the controller's files (gzip cannot be split by input). */
export function initialJsInputs(pane: TaskPaneBuild): Array<[input: string, bytes: number]> {
  const opening = Object.values(pane.openingMetafile.outputs);
  const controller = Object.entries(pane.metafile.outputs).filter(([path]) => pane.controllerJs.includes(outputName(path))).map(([, o]) => o);
  return [...opening, ...controller].flatMap((o) => Object.entries(o.inputs).map(([input, { bytesInOutput }]): [string, number] => [input, bytesInOutput]));
}

/**
 * The opening JS as one self-contained module (no chunk imports: each would be a request before the
 * first drawing). `import('./start-pane')` stays an import() of the controller's hashed chunk; the
 * chunks that chunk imports are named to the opening, which preloads them with it (one round trip,
 * not a waterfall).
 */
async function buildOpening(controller: string, controllerImports: string[]): Promise<{ js: string; metafile: Metafile }> {
  const controllerExternal: Plugin = {
    name: 'controller-external',
    setup(b) {
      b.onResolve({ filter: /^\.\/start-pane$/ }, () => ({ path: `./${controller}`, external: true }));
    },
  };
  const result = await build({
    ...COMMON,
    entryPoints: ['src/taskpane.ts'],
    outfile: `${OUT}/taskpane.js`,
    define: { ...COMMON.define, __PANE_CONTROLLER_IMPORTS__: JSON.stringify(controllerImports) },
    plugins: [controllerExternal],
  });
  return { js: result.outputFiles[0]!.text.trim(), metafile: result.metafile };
}

/** A CSP hash-source for an inline element's exact text. */
function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const CSS_LINK = '<link rel="stylesheet" href="taskpane.css">';
const PANE_SCRIPT = '<script type="module" src="taskpane.js"></script>';
const CSP_META = /(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(">)/;

/**
 * The page with the CSS and the opening JS inline, and the CSP allowing exactly those two by hash
 * (no 'unsafe-inline': an injected or altered script or style is still refused).
 */
export function withInlineOpening(html: string, inline: TaskPaneBuild['inline']): string {
  for (const expected of [CSS_LINK, PANE_SCRIPT]) if (!html.includes(expected)) throw new Error(`public/taskpane.html no longer has ${expected}; update build.ts`);
  if (!CSP_META.test(html)) throw new Error('public/taskpane.html no longer has its CSP meta tag; update build.ts');
  // Text that could end the element early or open a comment cannot be inlined safely.
  for (const [what, text] of [['opening JS', inline.openingJs], ['CSS', inline.css]] as const) {
    if (/<\/(script|style)|<!--/i.test(text)) throw new Error(`the ${what} contains "</script", "</style" or "<!--" and cannot be inlined`);
  }
  // A policy applies only to what follows it in the page.
  if (html.search(CSP_META) > Math.min(html.indexOf(CSS_LINK), html.indexOf(PANE_SCRIPT))) throw new Error('public/taskpane.html must have its CSP meta tag before the CSS and the pane script');
  const csp = (policy: string) => {
    let out = policy;
    for (const [directive, hash] of [['script-src', inline.scriptHash], ['style-src', inline.styleHash]] as const) {
      const pattern = new RegExp(`(^|;\\s*)${directive} ([^;]*)`);
      if (!pattern.test(out)) throw new Error(`the CSP in public/taskpane.html has no ${directive} to add the inline ${directive === 'script-src' ? 'script' : 'style'}'s hash to`);
      out = out.replace(pattern, (_m, lead: string, sources: string) => `${lead}${directive} ${sources} ${hash}`);
    }
    return out;
  };
  return html
    .replace(CSP_META, (_m, a: string, policy: string, b: string) => `${a}${csp(policy)}${b}`)
    .replace(CSS_LINK, () => `<style id="pane-style">${inline.css}</style>`)
    .replace(PANE_SCRIPT, () => `<script type="module" id="pane-opening">${inline.openingJs}</script>`);
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
 * Roles by reachability: the controller's files are the pane; chunks holding @azure/msal-*
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
  // Earlier builds' chunks and scripts must not be uploaded with this one (they would run under
  // script-src 'self'); what the operator put there (config.json) stays.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  if (existsSync(outdir)) {
    for (const name of readdirSync(outdir)) if (/\.(js|css|html)$/.test(name) && !out.files.has(name)) rmSync(join(outdir, name));
  }
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
