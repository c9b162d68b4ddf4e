/**
 * STS answers as a small element tree, which is all this client reads. Two readers build it, with
 * the same rules: xml.ts on fast-xml-parser (Node has no DOMParser) and xml-dom.ts on the browser's
 * DOMParser (package.json's "browser" field swaps it in, so the pane ships no XML parser). Rules:
 * DOCTYPE is refused (no entity expansion), exactly one root element, only the five predefined
 * entities and character references (others refused), CDATA kept as is, attributes skipped and
 * namespace prefixes dropped.
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

/** DOCTYPE (and with it any entity declaration) is refused before parsing, by either reader. */
export function refuseDoctype(xml: string): void {
  if (/<!DOCTYPE/i.test(xml)) throw new XmlParseError('DOCTYPE and other declarations are not accepted');
}
