import { XmlParseError, refuseDoctype, type XmlElement } from './xml-tree';

/**
 * The XML reader for browsers, on the platform's DOMParser: the bundle carries no XML parser of its
 * own. Swapped in for xml.ts by package.json's "browser" field; same tree, same rules (xml-tree.ts).
 * DOMParser refuses undeclared entities, stray text and second roots as not well formed.
 */
export { XmlParseError, child, childText, decodeEntities, type XmlElement } from './xml-tree';

const TEXT_NODE = 3;
const CDATA_NODE = 4;
const ELEMENT_NODE = 1;
/** Where browsers put their parse error: Chromium and WebKit inside the XHTML namespace, Firefox as the root in its own. */
const PARSE_ERROR_NAMESPACES = ['http://www.w3.org/1999/xhtml', 'http://www.mozilla.org/newlayout/xml/parsererror.xml'];

/** Parses a document and returns its root element; throws XmlParseError when it is not well formed. */
export function parseXml(xml: string): XmlElement {
  refuseDoctype(xml);
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const error = PARSE_ERROR_NAMESPACES.map((ns) => doc.getElementsByTagNameNS(ns, 'parsererror')[0]).find((e) => e !== undefined);
  if (error) throw new XmlParseError(`not well-formed XML: ${(error.textContent ?? '').trim().split('\n')[0]}`);
  if (!doc.documentElement) throw new XmlParseError('no root element');
  return toElement(doc.documentElement);
}

function toElement(node: Element): XmlElement {
  const element: XmlElement = { name: node.localName, children: [], text: '' };
  for (const c of Array.from(node.childNodes)) {
    if (c.nodeType === ELEMENT_NODE) element.children.push(toElement(c as Element));
    else if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_NODE) element.text += c.nodeValue ?? '';
  }
  return element;
}
