/**
 * Plain text <-> Atlassian Document Format (ADF), the body format of Jira Cloud REST v3.
 * https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 *
 * The text is untrusted (it came from an agent that read emails and issues), so `textToAdf`
 * only ever produces paragraphs, text and hard breaks: no marks, so nothing in the text can
 * become a live link, an image, a mention or formatting. Markdown and HTML stay literal text.
 */

export interface AdfText {
  type: 'text';
  text: string;
}
export interface AdfHardBreak {
  type: 'hardBreak';
}
export type AdfInline = AdfText | AdfHardBreak;
export interface AdfParagraph {
  type: 'paragraph';
  content: AdfInline[];
}
/** The documents this module writes: plain paragraphs only. */
export interface AdfDoc {
  type: 'doc';
  version: 1;
  content: AdfParagraph[];
}

/**
 * C0/C1 control characters (tab and newline are kept) and lone surrogates. They are invisible,
 * can hide content and break renderers, so they are shown as U+FFFD instead of passed along.
 */
// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Blank lines separate paragraphs (runs of them collapse to one break), single newlines become
 * hard breaks. Every text node is non-empty: the ADF schema refuses empty ones. Whitespace-only
 * input gives one empty paragraph, which is valid ADF. Pure: the same text gives the same doc.
 */
export function textToAdf(text: string): AdfDoc {
  const lines = text.replace(/\r\n?/g, '\n').replace(UNSHOWABLE, REPLACEMENT_CHARACTER).split('\n');
  const paragraphs: AdfParagraph[] = [];
  let current: AdfInline[] | undefined;
  for (const line of lines) {
    if (line.trim() === '') {
      current = undefined; // a blank line ends the paragraph
      continue;
    }
    if (current) current.push({ type: 'hardBreak' });
    else paragraphs.push({ type: 'paragraph', content: (current = []) });
    current.push({ type: 'text', text: line });
  }
  return { type: 'doc', version: 1, content: paragraphs.length > 0 ? paragraphs : [{ type: 'paragraph', content: [] }] };
}

/** Inline nodes that carry their text in attrs rather than in a text node. */
const INLINE_ATTR_TEXT: Record<string, (attrs: Record<string, unknown>) => unknown> = {
  mention: (a) => a.text ?? (typeof a.id === 'string' ? `@${a.id}` : undefined),
  emoji: (a) => a.text ?? a.shortName,
  status: (a) => a.text,
  inlineCard: (a) => a.url,
  date: (a) => (typeof a.timestamp === 'string' && /^\d+$/.test(a.timestamp) ? new Date(Number(a.timestamp)).toISOString().slice(0, 10) : undefined),
};
const INLINE_TYPES = new Set(['text', 'hardBreak', 'mediaInline', 'placeholder', 'inlineExtension', ...Object.keys(INLINE_ATTR_TEXT)]);
const LIST_TYPES = new Set(['bulletList', 'orderedList', 'taskList', 'decisionList']);

interface NodeLike {
  type: string;
  text?: unknown;
  attrs?: unknown;
  content?: unknown;
}

function isNode(value: unknown): value is NodeLike {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function children(node: NodeLike): NodeLike[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : [];
}

function attrsOf(node: NodeLike): Record<string, unknown> {
  return typeof node.attrs === 'object' && node.attrs !== null ? (node.attrs as Record<string, unknown>) : {};
}

function nodeText(node: NodeLike): string {
  if (node.type === 'text') return typeof node.text === 'string' ? node.text : '';
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'rule') return '---';
  const fromAttrs = INLINE_ATTR_TEXT[node.type]?.(attrsOf(node));
  if (fromAttrs !== undefined) return typeof fromAttrs === 'string' ? fromAttrs : '';
  const kids = children(node);
  if (kids.every((k) => INLINE_TYPES.has(k.type))) return kids.map(nodeText).join('');
  if (LIST_TYPES.has(node.type)) {
    const start = Number(attrsOf(node).order ?? 1);
    return kids
      .map((item, i) => `${node.type === 'orderedList' ? `${start + i}.` : '-'} ${nodeText(item).replace(/\n/g, '\n  ')}`)
      .join('\n');
  }
  // Other containers (doc, blockquote, panel, table, expand, list items with nested blocks …).
  return kids
    .map(nodeText)
    .filter((t) => t !== '')
    .join(node.type === 'tableRow' ? ' | ' : '\n\n');
}

/**
 * ADF back to plain text, for showing a posted comment. Paragraphs are separated by a blank
 * line and hard breaks become newlines, so `adfToText(textToAdf(s)) === s` for text without
 * control characters, CRs, or leading, trailing or repeated blank lines. Other node types are
 * reduced to their visible text; anything that is not a node gives ''.
 */
export function adfToText(doc: unknown): string {
  return isNode(doc) ? nodeText(doc) : '';
}
