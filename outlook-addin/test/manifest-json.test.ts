import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pngSize } from './support/png';

/**
 * The unified manifest, validated offline by `office-addin-manifest validate` (its JSON schema
 * ships inside the package; no web service is called), and checked for what the pane relies on.
 */
const MANIFEST = join(__dirname, '..', 'manifest.json');
const CLI = require.resolve('office-addin-manifest/cli.js');
const run = promisify(execFile);

async function validate(path: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'validate', path], { timeout: 20_000 });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

interface Manifest {
  id: string;
  version: string;
  name: { short: string };
  icons: { color: string; outline: string };
  validDomains: string[];
  authorization: { permissions: { resourceSpecific: Array<{ name: string; type: string }> } };
  extensions: Array<{
    requirements: { scopes: string[]; capabilities: Array<{ name: string; minVersion: string }> };
    runtimes: Array<{ id: string; code: { page: string }; actions: Array<{ id: string; type: string; pinnable?: boolean }> }>;
    ribbons: Array<{ contexts: string[]; tabs: Array<{ groups: Array<{ icons: Array<{ size: number; url: string }>; controls: Array<{ actionId: string; icons: Array<{ size: number; url: string }> }> }> }> }>;
  }>;
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;

describe('manifest.json (unified manifest)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pm-agent-manifest-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('office-addin-manifest validate accepts it, offline', async () => {
    const { code, output } = await validate(MANIFEST);
    expect(output).not.toMatch(/not valid|Error/);
    expect(code).toBe(0);
  });

  test.each([
    ['an unknown property in a permission', (m: Manifest) => Object.assign(m.authorization.permissions.resourceSpecific[0]!, { scope: 'all' })],
    ['a ribbon context that does not exist', (m: Manifest) => (m.extensions[0]!.ribbons[0]!.contexts = ['mailReed'])],
    ['pinnable that is not a boolean', (m: Manifest) => Object.assign(m.extensions[0]!.runtimes[0]!.actions[0]!, { pinnable: 'yes' })],
    ['no developer', (m: Manifest) => delete (m as Partial<Manifest> & { developer?: unknown }).developer],
  ])('and rejects a broken copy: %s', async (_what, breakIt) => {
    const broken = structuredClone(manifest);
    breakIt(broken);
    const path = join(dir, `broken-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(broken));
    const { code, output } = await validate(path);
    expect(code).toBe(1);
    expect(output).toMatch(/Error|not valid|Invalid/);
  });

  test('a mailRead button opens a pinnable task pane; Mailbox 1.5; read item permission only', () => {
    const ext = manifest.extensions[0]!;
    expect(ext.requirements).toEqual({ scopes: ['mail'], capabilities: [{ name: 'Mailbox', minVersion: '1.5' }] });
    expect(manifest.authorization.permissions.resourceSpecific).toEqual([{ name: 'MailboxItem.Read.User', type: 'Delegated' }]);
    const action = ext.runtimes[0]!.actions[0]!;
    expect(action).toMatchObject({ type: 'openPage', pinnable: true });
    expect(ext.ribbons[0]!.contexts).toEqual(['mailRead']);
    expect(ext.ribbons[0]!.tabs[0]!.groups[0]!.controls[0]!.actionId).toBe(action.id);
    const page = new URL(ext.runtimes[0]!.code.page);
    expect(page.protocol).toBe('https:');
    expect(page.pathname).toBe('/outlook/taskpane.html');
    expect(manifest.validDomains).toContain(page.hostname);
  });

  test('every icon it names exists in assets/ at the size it claims', () => {
    expect(pngSize(join(__dirname, '..', manifest.icons.color))).toEqual({ width: 192, height: 192 });
    expect(pngSize(join(__dirname, '..', manifest.icons.outline))).toEqual({ width: 32, height: 32 });
    const group = manifest.extensions[0]!.ribbons[0]!.tabs[0]!.groups[0]!;
    for (const icon of [...group.icons, ...group.controls.flatMap((c) => c.icons)]) {
      const file = join(__dirname, '..', 'assets', new URL(icon.url).pathname.replace('/outlook/assets/', ''));
      expect(pngSize(file)).toEqual({ width: icon.size, height: icon.size });
    }
  });
});
