import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * STS answers as a small element tree, which is all this client reads. Well-formedness and
 * tokenising are fast-xml-parser's (it runs in Node and browsers; browsers have DOMParser, Node
 * does not). On top: DOCTYPE is refused (no entity expansion), exactly one root element, only
 * the five predefined entities and character references (others refused), CDATA kept as is,
 * attributes skipped and namespace prefixes dropped.
 */

export interface XmlElement {
  /** Local name, without any namespace prefix. */
  name: string;
  children: XmlElement[];
  /** Decoded text directly inside this element. */
  text: string;
}

export class XmlParseError extends Error {
  override name = 'XmlParseError';
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0x10ffff) throw new XmlParseError(`character reference ${whole} is out of range`);
      return String.fromCodePoint(code);
    }
    const named = ENTITIES[ref];
    if (named === undefined) throw new XmlParseError(`unknown entity ${whole}`);
    return named;
  });
}

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
  if (/<!DOCTYPE/i.test(xml)) throw new XmlParseError('DOCTYPE and other declarations are not accepted');
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

/** The first child at each step of `path`, e.g. child(root, 'Result', 'Credentials'). */
export function child(element: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let at = element;
  for (const name of path) at = at?.children.find((c) => c.name === name);
  return at;
}

/** Trimmed text of the element at `path`, or undefined when absent or empty. */
export function childText(element: XmlElement | undefined, ...path: string[]): string | undefined {
  const text = child(element, ...path)?.text.trim();
  return text ? text : undefined;
}
