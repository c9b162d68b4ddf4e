import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { pngSize } from './support/png';

/**
 * manifest.xml (the add-in only manifest, for Outlook on Mac and mobile) cannot be validated
 * offline: office-addin-manifest sends XML to a Microsoft web service. So it is parsed here and
 * held to the same add-in as manifest.json: same id, version, permission, requirement, page,
 * read-mode button, pinning, and a mobile button; every resource it names exists.
 */
type Xml = Record<string, unknown>;
const ROOT = join(__dirname, '..');
const source = readFileSync(join(ROOT, 'manifest.xml'), 'utf8');
const json = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as {
  id: string;
  version: string;
  name: { short: string };
  validDomains: string[];
  authorization: { permissions: { resourceSpecific: Array<{ name: string }> } };
  extensions: Array<{ requirements: { capabilities: Array<{ name: string; minVersion: string }> }; runtimes: Array<{ code: { page: string } }> }>;
};
const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(source) as Xml;

/** XML permission names ↔ unified manifest names (learn.microsoft.com: "Understanding Outlook add-in permissions"). */
const PERMISSIONS: Record<string, string> = {
  Restricted: 'MailboxItem.Restricted.User',
  ReadItem: 'MailboxItem.Read.User',
  ReadWriteItem: 'MailboxItem.ReadWrite.User',
  ReadWriteMailbox: 'Mailbox.ReadWrite.User',
};

const list = (v: unknown): Xml[] => (v === undefined ? [] : Array.isArray(v) ? (v as Xml[]) : [v as Xml]);
const at = (v: unknown, ...path: string[]): unknown => path.reduce<unknown>((o, k) => (o as Xml | undefined)?.[k], v);
const app = doc.OfficeApp as Xml;
const v10 = app.VersionOverrides as Xml;
const v11 = v10.VersionOverrides as Xml;

/** Every element anywhere under `node` with this name. */
function all(node: unknown, name: string): Xml[] {
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node as Xml).flatMap(([k, v]) => [...(k === name ? list(v) : []), ...list(v).flatMap((c) => all(c, name))]);
}

describe('manifest.xml (add-in only manifest for Mac and mobile)', () => {
  test('is well-formed XML for a mail add-in', () => {
    expect(XMLValidator.validate(source)).toBe(true);
    expect(app['@xsi:type']).toBe('MailApp');
  });

  test('is the same add-in as manifest.json: id, version, name, permission, requirement, page', () => {
    expect(app.Id).toBe(json.id);
    expect(app.Version).toBe(`${json.version}.0`);
    expect(at(app, 'DisplayName', '@DefaultValue')).toBe(json.name.short);
    expect(PERMISSIONS[app.Permissions as string]).toBe(json.authorization.permissions.resourceSpecific[0]!.name);
    expect(at(app, 'Hosts', 'Host', '@Name')).toBe('Mailbox');
    const capability = json.extensions[0]!.requirements.capabilities[0]!;
    expect(at(app, 'Requirements', 'Sets', 'Set')).toEqual({ '@Name': capability.name, '@MinVersion': capability.minVersion });
    for (const v of [v10, v11]) expect(at(v, 'Requirements', 'bt:Sets')).toEqual({ '@DefaultMinVersion': capability.minVersion, 'bt:Set': { '@Name': 'Mailbox' } });
    expect(at(app, 'FormSettings', 'Form', 'DesktopSettings', 'SourceLocation', '@DefaultValue')).toBe(json.extensions[0]!.runtimes[0]!.code.page);
  });

  test('activates on messages in read mode (ReadItem) only', () => {
    expect(at(app, 'Rule', 'Rule')).toEqual({ '@xsi:type': 'ItemIs', '@ItemType': 'Message', '@FormType': 'Read' });
    expect(app.Permissions).toBe('ReadItem');
  });

  test('1.1 overrides: a read-mode ribbon button opening a pinnable task pane, and a mobile button', () => {
    expect(v10['@xsi:type']).toBe('VersionOverridesV1_0');
    expect(v11['@xsi:type']).toBe('VersionOverridesV1_1');
    const host = at(v11, 'Hosts', 'Host') as Xml;
    expect(at(host, 'DesktopFormFactor', 'ExtensionPoint', '@xsi:type')).toBe('MessageReadCommandSurface');
    const desktopAction = at(host, 'DesktopFormFactor', 'ExtensionPoint', 'OfficeTab', 'Group', 'Control', 'Action') as Xml;
    expect(desktopAction).toMatchObject({ '@xsi:type': 'ShowTaskpane', SupportsPinning: 'true' });
    expect(at(host, 'MobileFormFactor', 'ExtensionPoint', '@xsi:type')).toBe('MobileMessageReadCommandSurface');
    expect(at(host, 'MobileFormFactor', 'ExtensionPoint', 'Group', 'Control', '@xsi:type')).toBe('MobileButton');
    expect(at(host, 'MobileFormFactor', 'ExtensionPoint', 'Group', 'Control', 'Action', '@xsi:type')).toBe('ShowTaskpane');
  });

  test.each([
    ['1.0', v10],
    ['1.1', v11],
  ])('VersionOverrides %s: every resid is defined, the pane URL matches, icons exist at their size', (_v, overrides) => {
    const resources = overrides.Resources as Xml;
    const own = { ...overrides, VersionOverrides: undefined, Resources: undefined };
    const defined = new Map<string, string>();
    for (const kind of ['bt:Image', 'bt:Url', 'bt:String']) for (const r of all(resources, kind)) defined.set(r['@id'] as string, r['@DefaultValue'] as string);
    const used = all(own, 'Label').concat(all(own, 'Title'), all(own, 'Description'), all(own, 'SourceLocation'), all(own, 'bt:Image')).map((e) => e['@resid'] as string);
    expect(used.length).toBeGreaterThan(5);
    for (const id of used) expect(defined.has(id) ? id : `${id} (undefined)`).toBe(id);
    expect(defined.get('TaskPaneUrl')).toBe(json.extensions[0]!.runtimes[0]!.code.page);
    for (const image of all(resources, 'bt:Image')) {
      const url = new URL(image['@DefaultValue'] as string);
      expect(url.protocol).toBe('https:');
      expect(json.validDomains).toContain(url.hostname);
      const size = Number(/icon-(\d+)\.png$/.exec(url.pathname)?.[1]);
      expect(pngSize(join(ROOT, 'assets', url.pathname.replace('/outlook/assets/', '')))).toEqual({ width: size, height: size });
    }
  });

  test('every URL is https on the add-in host', () => {
    const urls = [...source.matchAll(/(?:DefaultValue="|<AppDomain>)(https?:\/\/[^"<]+)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(10);
    for (const u of urls) {
      expect(u.startsWith('https://')).toBe(true);
      expect(json.validDomains).toContain(new URL(u).hostname);
    }
  });
});
