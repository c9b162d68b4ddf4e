/**
 * Just enough XML for STS answers, which is all this client reads: elements, text, the five
 * predefined entities and numeric character references, CDATA, comments and the XML declaration.
 * Attributes are skipped and namespace prefixes dropped. DOCTYPE is refused (no entity expansion).
 * Browsers have DOMParser, Node does not; this runs in both.
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

/** Parses a document and returns its root element; throws XmlParseError when it is not well formed. */
export function parseXml(xml: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > i) appendText(stack, xml.slice(i, textEnd), true);
    if (lt === -1) break;

    if (xml.startsWith('<?', lt)) {
      i = after(xml, '?>', lt);
    } else if (xml.startsWith('<!--', lt)) {
      i = after(xml, '-->', lt);
    } else if (xml.startsWith('<![CDATA[', lt)) {
      const end = after(xml, ']]>', lt);
      appendText(stack, xml.slice(lt + 9, end - 3), false);
      i = end;
    } else if (xml.startsWith('<!', lt)) {
      throw new XmlParseError('DOCTYPE and other declarations are not accepted');
    } else if (xml.startsWith('</', lt)) {
      const end = after(xml, '>', lt);
      const name = localName(xml.slice(lt + 2, end - 1).trim());
      const open = stack.pop();
      if (!open || open.name !== name) throw new XmlParseError(`unexpected </${name}>`);
      i = end;
    } else {
      const end = tagEnd(xml, lt);
      let inner = xml.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const rawName = /^[^\s/>]+/.exec(inner)?.[0];
      if (!rawName) throw new XmlParseError(`malformed tag at offset ${lt}`);
      const element: XmlElement = { name: localName(rawName), children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new XmlParseError('more than one root element');
      else root = element;
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  if (stack.length) throw new XmlParseError(`<${stack[stack.length - 1]?.name}> is not closed`);
  if (!root) throw new XmlParseError('no root element');
  return root;
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

function appendText(stack: XmlElement[], raw: string, decode: boolean): void {
  const current = stack[stack.length - 1];
  if (current) current.text += decode ? decodeEntities(raw) : raw;
  else if (raw.trim()) throw new XmlParseError('text outside the root element');
}

/** Index just past the next `marker` from `from`. */
function after(xml: string, marker: string, from: number): number {
  const at = xml.indexOf(marker, from);
  if (at === -1) throw new XmlParseError(`unterminated construct at offset ${from}`);
  return at + marker.length;
}

/** Index of the '>' closing the tag opened at `lt`, skipping '>' inside quoted attribute values. */
function tagEnd(xml: string, lt: number): number {
  let quote: string | undefined;
  for (let j = lt + 1; j < xml.length; j++) {
    const c = xml[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return j;
    } else if (c === '<') {
      break;
    }
  }
  throw new XmlParseError(`unterminated tag at offset ${lt}`);
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}
