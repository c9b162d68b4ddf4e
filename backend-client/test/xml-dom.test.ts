import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseXml, type XmlElement } from '../src/xml';

/**
 * The browser's XML reader (xml-dom.ts, on DOMParser; what the Outlook pane ships) against Node's
 * (xml.ts, on fast-xml-parser), in Chromium: the same documents give the same tree, and what one
 * refuses the other refuses. And a browser build of the client picks xml-dom.ts.
 */
jest.setTimeout(60_000);

const SRC = join(__dirname, '..', 'src');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Outcome = { ok: true; root: XmlElement } | { ok: false; error: string };

const DOCUMENTS: Array<[string, string]> = [
  ['an STS success', `<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIASTSX</AccessKeyId>
      <SecretAccessKey>sts-secret&amp;&lt;&gt;&quot;&apos;</SecretAccessKey>
      <SessionToken>sts-session-token/+=</SessionToken>
      <Expiration>2026-12-02T01:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata><RequestId>sts-rid</RequestId></ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`],
  ['an STS error', `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>`],
  ['namespaces, attributes with ">", comments, CDATA, references', `<?xml version="1.0"?><!-- c --><a:Root xmlns:a="urn:x" note="1 > 0"><Item>x &lt;&#65;&#x42;&gt;</Item><Empty/><Raw><![CDATA[<not & parsed>]]></Raw></a:Root>`],
  ['mismatched tags', '<a><b></a></b>'],
  ['an unclosed element', '<a>'],
  ['text alone', 'just text'],
  ['two roots', '<a/><b/>'],
  ['a DOCTYPE with an entity', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
  ['an undeclared entity', '<a>&nbsp;</a>'],
  ['nothing', ''],
];

function inNode(xml: string): Outcome {
  try {
    return { ok: true, root: parseXml(xml) };
  } catch (e) {
    return { ok: false, error: (e as Error).name };
  }
}

let browser: Browser;
let page: Page;

beforeAll(async () => {
  const bundle = await build({ entryPoints: [join(SRC, 'xml-dom.ts')], bundle: true, write: false, format: 'iife', globalName: 'XmlDom', platform: 'browser', logLevel: 'silent' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
  page = await browser.newPage();
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
});

afterAll(async () => {
  await browser?.close();
});

test.each(DOCUMENTS)('%s: the same in Chromium as in Node', async (_what, xml) => {
  const browserOutcome = await page.evaluate((doc) => {
    const api = (globalThis as unknown as { XmlDom: { parseXml(x: string): unknown } }).XmlDom;
    try {
      return { ok: true, root: api.parseXml(doc) };
    } catch (e) {
      return { ok: false, error: (e as Error).name };
    }
  }, xml);
  expect(browserOutcome).toEqual(inNode(xml));
});

test('the cases include both trees and refusals', () => {
  const outcomes = DOCUMENTS.map(([, xml]) => inNode(xml).ok);
  expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(3);
  expect(outcomes.filter((ok) => !ok).length).toBeGreaterThanOrEqual(6);
});

test('a browser build of the client reads XML with DOMParser and carries no XML parser', async () => {
  const result = await build({ entryPoints: [join(SRC, 'index.ts')], bundle: true, write: false, metafile: true, format: 'esm', platform: 'browser', logLevel: 'silent' });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.some((i) => i.endsWith('backend-client/src/xml-dom.ts'))).toBe(true);
  expect(inputs.filter((i) => i.includes('fast-xml-parser') || i.endsWith('backend-client/src/xml.ts'))).toEqual([]);
});
