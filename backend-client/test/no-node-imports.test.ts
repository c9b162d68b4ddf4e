import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The client runs in a browser (Outlook task pane) as well as Node: nothing under src may import a
 * Node built-in or rely on Node-only globals.
 */
const SRC = join(__dirname, '..', 'src');
const NODE_BUILTINS = ['fs', 'http', 'https', 'net', 'tls', 'crypto', 'path', 'os', 'stream', 'buffer', 'url', 'util', 'zlib', 'child_process', 'events'];
const MODULE_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
const NODE_GLOBALS = /\b(?:Buffer|process|__dirname|__filename|require)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Problems in one file's source: Node built-in imports and Node-only globals (comments excluded). */
function nodeDependencies(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  const problems: string[] = [];
  for (const m of code.matchAll(MODULE_SPECIFIER)) {
    const spec = m[1] ?? '';
    if (spec.startsWith('node:') || NODE_BUILTINS.includes(spec.split('/')[0] ?? '')) problems.push(`imports ${spec}`);
  }
  const global = NODE_GLOBALS.exec(code);
  if (global) problems.push(`uses ${global[0]}`);
  return problems;
}

test('the checker catches what it is meant to catch', () => {
  expect(nodeDependencies(`import { createServer } from 'node:http';`)).toEqual(['imports node:http']);
  expect(nodeDependencies(`import fs from "fs";`)).toEqual(['imports fs']);
  expect(nodeDependencies(`const h = await import('https');`)).toEqual(['imports https']);
  expect(nodeDependencies(`const b = Buffer.from('x');`)).toEqual(['uses Buffer']);
  expect(nodeDependencies(`import { z } from 'zod'; // not from 'node:fs'`)).toEqual([]);
});

test('src imports nothing from Node', () => {
  const files = sourceFiles(SRC);
  expect(files.length).toBeGreaterThanOrEqual(10);
  const offenders = files.map((f) => [f.slice(SRC.length + 1), nodeDependencies(readFileSync(f, 'utf8'))] as const).filter(([, p]) => p.length);
  expect(offenders).toEqual([]);
});
