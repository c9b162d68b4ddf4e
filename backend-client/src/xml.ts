import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { XmlParseError, decodeEntities, refuseDoctype, type XmlElement } from './xml-tree';

/** The XML reader for Node, on fast-xml-parser; browsers get xml-dom.ts instead (package.json "browser"). See xml-tree.ts for the rules. */
export { XmlParseError, child, childText, decodeEntities, type XmlElement } from './xml-tree';

/** fast-xml-parser's ordered output: one key per node (a tag name, TEXT or CDATA) holding its children or text. */
type OrderedNode = Record<string, unknown>;
const TEXT = '#text';
const CDATA = '#cdata';

const parser = new XMLParser({
  preserveOrder: true,
  removeNSPrefix: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: false, // decoded below, strictly
  cdataPropName: CDATA,
  textNodeName: TEXT,
});

/** Parses a document and returns its root element; throws XmlParseError when it is not well formed. */
export function parseXml(xml: string): XmlElement {
  refuseDoctype(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlParseError(valid.err.msg);
  const top = (parser.parse(xml) as OrderedNode[]).map(toElement);
  const stray = top.find((n) => typeof n === 'string' && n.trim());
  if (stray !== undefined) throw new XmlParseError('text outside the root element');
  const roots = top.filter((n): n is XmlElement => typeof n !== 'string');
  if (roots.length === 0) throw new XmlParseError('no root element');
  if (roots.length > 1) throw new XmlParseError('more than one root element');
  return roots[0]!;
}

/** An element, or the text of a text or CDATA node. */
function toElement(node: OrderedNode): XmlElement | string {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined) return '';
  const value = node[name];
  if (name === TEXT) return decodeEntities(String(value));
  if (name === CDATA) return (value as OrderedNode[]).map((t) => String(t[TEXT] ?? '')).join('');
  const element: XmlElement = { name, children: [], text: '' };
  for (const part of (value as OrderedNode[]).map(toElement)) {
    if (typeof part === 'string') element.text += part;
    else element.children.push(part);
  }
  return element;
}

