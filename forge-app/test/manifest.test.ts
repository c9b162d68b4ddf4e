import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validate } from '@forge/manifest';
import { MODULE_KEYS, RESOLVER_FUNCTION_KEY, RESOURCES } from '../src/common/modules';

/**
 * manifest.yml checked offline with @forge/manifest's validate(): the full validator Forge's CLI
 * runs (schema, modules, function handler files, resource files, scopes, egress), without a login.
 */

const ROOT = resolve(__dirname, '../..');
const MANIFEST = join(ROOT, 'manifest.yml');
const HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';

let savedHost: string | undefined;
beforeAll(() => {
  savedHost = process.env.PM_AGENT_BACKEND_HOST;
  process.env.PM_AGENT_BACKEND_HOST = HOST;
});
afterAll(() => {
  if (savedHost === undefined) delete process.env.PM_AGENT_BACKEND_HOST;
  else process.env.PM_AGENT_BACKEND_HOST = savedHost;
});

interface TypedManifest {
  app: { runtime: { name: string } };
  modules: Record<string, Array<Record<string, unknown>>>;
  resources: Array<{ key: string; path: string }>;
  permissions: { scopes: string[]; external: { fetch: { backend: unknown[] } } };
}

async function check(file: string) {
  const result = await validate(false, file);
  const typed = (result.manifestObject as { typedContent?: TypedManifest } | undefined)?.typedContent;
  return { success: result.success, errors: (result.errors ?? []).map((e) => e.message), typed };
}

describe('manifest.yml', () => {
  it('passes Forge’s full offline validation', async () => {
    const { success, errors } = await check(MANIFEST);
    expect(errors).toEqual([]);
    expect(success).toBe(true);
  });

  it('declares the modules, function and resources the code expects, UI Kit on nodejs22.x', async () => {
    const { typed } = await check(MANIFEST);
    const m = typed!.modules;
    expect(typed!.app.runtime.name).toBe('nodejs22.x');
    expect(m['jira:issuePanel']).toEqual([expect.objectContaining({ key: MODULE_KEYS.issuePanel, render: 'native', resource: RESOURCES.issuePanel.key, resolver: { function: RESOLVER_FUNCTION_KEY } })]);
    expect(m['jira:adminPage']).toEqual([expect.objectContaining({ key: MODULE_KEYS.adminPage, render: 'native', resource: RESOURCES.adminPage.key, resolver: { function: RESOLVER_FUNCTION_KEY } })]);
    expect(m['jira:globalPage']).toEqual([expect.objectContaining({ key: MODULE_KEYS.inboxPage, render: 'native', resource: RESOURCES.inboxPage.key, resolver: { function: RESOLVER_FUNCTION_KEY } })]);
    expect(m.function).toEqual([{ key: RESOLVER_FUNCTION_KEY, handler: 'index.handler' }]);
    expect(typed!.resources).toEqual(expect.arrayContaining([RESOURCES.issuePanel, RESOURCES.adminPage, RESOURCES.inboxPage]));
  });

  it('asks for the fewest scopes, and egress to the backend host only', async () => {
    const { typed } = await check(MANIFEST);
    expect(typed!.permissions.scopes).toEqual(['storage:app', 'read:jira-work']);
    expect(typed!.permissions.external).toEqual({ fetch: { backend: [{ address: HOST, inScopeEUD: true }] } });
  });

  it('resolves `index.handler` to a @forge/resolver handler wired to the app’s resolvers', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined); // the Forge ports log to the console
    const { handler } = (await import('../../src/index')) as { handler: (payload: unknown, platform?: unknown) => Promise<unknown> };
    await expect(handler({ call: { functionKey: 'noSuchResolver' }, context: {} })).rejects.toThrow("Resolver has no definition for 'noSuchResolver'");
    // A known resolver answers, refusing a call from a module that is not this app's (no Forge platform needed for that).
    await expect(handler({ call: { functionKey: 'getIssueSuggestions', payload: {} }, context: { moduleKey: 'elsewhere', cloudId: 'c' } }, { principal: { accountId: 'a' } })).resolves.toEqual({
      ok: false,
      error: { kind: 'not_allowed', message: 'This call did not come from a PM agent page the app knows.' },
    });
  });
});

describe('broken copies of manifest.yml fail validation', () => {
  const original = readFileSync(MANIFEST, 'utf8');
  let dir: string;
  beforeAll(() => {
    // A copy beside the real code (src and forge-app linked in), so only the manifest text differs.
    dir = mkdtempSync(join(tmpdir(), 'pm-agent-manifest-'));
    symlinkSync(join(ROOT, 'src'), join(dir, 'src'));
    symlinkSync(join(ROOT, 'forge-app'), join(dir, 'forge-app'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function checkCopy(name: string, edit: (text: string) => string) {
    const text = edit(original);
    if (name !== 'unchanged' && text === original) throw new Error(`the "${name}" edit changed nothing`);
    const file = join(dir, `${name}.yml`);
    writeFileSync(file, text);
    return check(file);
  }

  it('an unchanged copy passes (so the failures below come from the edits)', async () => {
    expect(await checkCopy('unchanged', (t) => t)).toMatchObject({ success: true, errors: [] });
  });

  it('a missing resolver function', async () => {
    const { success, errors } = await checkCopy('no-function', (t) => t.replace(/  function:\n    - key: resolver\n      handler: index\.handler\n/, ''));
    expect(success).toBe(false);
    expect(errors.join('\n')).toMatch(/references undefined function module with key 'resolver'/);
  });

  it('an unknown module type', async () => {
    const { success, errors } = await checkCopy('unknown-module', (t) => t.replace('jira:adminPage:', 'jira:adminPages:'));
    expect(success).toBe(false);
    expect(errors.join('\n')).toMatch(/invalid value 'jira:adminPages' in modules/);
  });

  it('a handler path with no file behind it', async () => {
    const { success, errors } = await checkCopy('bad-handler', (t) => t.replace('handler: index.handler', 'handler: resolvers/main.handler'));
    expect(success).toBe(false);
    expect(errors.join('\n')).toMatch(/cannot find associated file with name 'resolvers\/main/);
  });

  it('a resource file that does not exist', async () => {
    const { success, errors } = await checkCopy('bad-resource', (t) => t.replace('forge-app/src/frontend/admin-page.tsx', 'forge-app/src/frontend/admin.tsx'));
    expect(success).toBe(false);
    expect(errors.join('\n')).toMatch(/admin\.tsx/);
  });

  it('deploying without saying which host the backend is on', async () => {
    delete process.env.PM_AGENT_BACKEND_HOST;
    try {
      const { success, errors } = await checkCopy('unchanged-no-host', (t) => `${t}\n`);
      expect(success).toBe(false);
      expect(errors.join('\n')).toMatch(/PM_AGENT_BACKEND_HOST/);
    } finally {
      process.env.PM_AGENT_BACKEND_HOST = HOST;
    }
  });
});
