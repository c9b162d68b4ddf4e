import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Trust boundary 1: the pages hold no secrets and reach the backend only through their resolvers.
 * So nothing the page bundles may import the backend client, Forge's backend APIs or the resolver
 * code, and no page renders rich content (ADF, HTML) that untrusted text could ride in on.
 */

const SRC = resolve(__dirname, '../src');
const PAGE_DIRS = [join(SRC, 'frontend'), join(SRC, 'common')];
const PAGE_PACKAGES = ['react', '@forge/react', '@forge/bridge', '@pm-agent/shared', 'zod'];
const SPECIFIER = /^\s*import\s+(type\s+)?[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]/gm;
const RICH_CONTENT = /\b(AdfRenderer|dangerouslySetInnerHTML|Frame|Image)\b|format=["']markup["']/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** Problems in one page file: value imports from outside the page world, and rich-content components. */
function problems(file: string, source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of code.matchAll(SPECIFIER)) {
    const typeOnly = Boolean(m[1]);
    const spec = m[2] ?? m[3] ?? m[4] ?? '';
    if (typeOnly) continue; // erased from the bundle
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!PAGE_DIRS.some((d) => target.startsWith(d))) out.push(`imports ${relative(SRC, target)}`);
    } else if (!PAGE_PACKAGES.some((p) => spec === p || spec.startsWith(`${p}/`))) {
      out.push(`imports ${spec}`);
    }
  }
  const rich = RICH_CONTENT.exec(code);
  if (rich) out.push(`uses ${rich[0]}`);
  return out;
}

test('the checker catches what it is meant to catch', () => {
  const page = join(SRC, 'frontend', 'x.tsx');
  expect(problems(page, `import { createBackendClient } from '@pm-agent/backend-client';`)).toEqual(['imports @pm-agent/backend-client']);
  expect(problems(page, `import { kvs } from '@forge/kvs';`)).toEqual(['imports @forge/kvs']);
  expect(problems(page, `import { clientFor } from '../resolvers/connection';`)).toEqual(['imports resolvers/connection']);
  expect(problems(page, `import type { Caller } from '../resolvers/context';`)).toEqual([]);
  expect(problems(page, `import { AdfRenderer } from '@forge/react';`)).toEqual(['uses AdfRenderer']);
  expect(problems(page, `import { Text } from '@forge/react'; // not '@forge/api'`)).toEqual([]);
});

test('page code imports nothing that holds or reaches a secret, and renders no rich content', () => {
  const found = PAGE_DIRS.flatMap(files).flatMap((f) => problems(f, readFileSync(f, 'utf8')).map((p) => `${relative(SRC, f)}: ${p}`));
  expect(found).toEqual([]);
  expect(files(join(SRC, 'frontend')).length).toBeGreaterThanOrEqual(10);
});

test('every page file with JSX has React in scope, as the classic JSX runtime needs', () => {
  const missing = files(join(SRC, 'frontend'))
    .filter((f) => f.endsWith('.tsx') && !/^import React\b/m.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  expect(missing).toEqual([]);
});

test.each(['issue-panel', 'admin-page'])('the %s bundle builds for the browser with classic JSX and holds no backend code', async (page) => {
  // Built as Forge's UI Kit templates assume, with the classic JSX runtime (React.createElement);
  // esbuild with platform=browser also refuses any Node built-in.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(SRC, 'frontend', `${page}.tsx`)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    jsx: 'transform',
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((i) => i.includes('forge-app/src/frontend/'))).toBe(true);
  expect(inputs.filter((i) => /backend-client\/|aws4fetch|@forge\/(api|kvs|resolver)\/|forge-app\/src\/resolvers\//.test(i))).toEqual([]);
});
