import { parse, type DefaultTreeAdapterTypes } from 'parse5';
import { truncate, type EmailLink } from '@pm-agent/shared';
import { LINK_LIMITS, makeLink } from './links';
import { backgroundColour, hiddenClasses, hidingRule, indistinguishable, lengthPx, parseColour, parseDeclarations, type Rgba } from './css';

/**
 * Untrusted email HTML reduced to plain text. Nothing is rendered or fetched: the tree is walked,
 * visible text is kept, text a person would not see goes to `hidden` (so it can be shown as a
 * warning but never passed on as content), and every link and image source is listed with its host.
 */

type Node = DefaultTreeAdapterTypes.Node;
type Element = DefaultTreeAdapterTypes.Element;

/** Elements whose content is never text a reader sees. */
const DROPPED = new Set(['script', 'style', 'head', 'template', 'noscript', 'iframe', 'object', 'embed', 'applet', 'frameset', 'title', 'meta', 'link', 'base', 'canvas', 'audio', 'video', 'input']);

/**
 * Element → line breaks before and after it (2: a paragraph, 1: a line). Breaks next to each other
 * merge to the larger, so `</p><div>` is one blank line, not three. Cells are separated by a space.
 */
const BREAKS: Record<string, 1 | 2> = {
  p: 2, h1: 2, h2: 2, h3: 2, h4: 2, h5: 2, h6: 2, blockquote: 2, pre: 2, table: 2,
  ul: 1, ol: 1, dl: 1, div: 1, section: 1, article: 1, header: 1, footer: 1, main: 1, aside: 1, nav: 1, center: 1, address: 1, figure: 1, figcaption: 1,
  li: 1, tr: 1, dt: 1, dd: 1, br: 1, hr: 1, caption: 1, form: 1, fieldset: 1, legend: 1, details: 1, summary: 1,
};
const CELLS = new Set(['td', 'th']);

export const HTML_LIMITS = {
  links: LINK_LIMITS.count,
  hiddenChunks: 200,
  hiddenChunkChars: 2_000,
  altChars: 120,
} as const;

export interface HtmlText {
  text: string;
  /** Text set aside because a reader would not see it (CSS, attributes, comments), one entry per hidden region. */
  hidden: string[];
  links: EmailLink[];
  /** Links beyond HTML_LIMITS.links, counted but not listed. */
  linksOmitted: number;
}

/** Style state inherited down the tree. */
interface Inherited {
  hidden: boolean;
  pre: boolean;
  colour: Rgba | undefined;
  background: Rgba;
}

const WHITE: Rgba = [255, 255, 255, 1];

export function htmlToText(html: string): HtmlText {
  const doc = parse(html);
  const styleSheets: string[] = [];
  const comments: string[] = [];
  collect(doc, styleSheets, comments);
  const classRules = hiddenClasses(styleSheets);

  const visible: string[] = [];
  const hidden: string[] = [];
  const links: EmailLink[] = [];
  let linksOmitted = 0;
  let hiddenBuffer: string[] | null = null;
  const openLinks: Array<{ href: string; parts: string[]; hidden: boolean }> = [];

  const addLink = (text: string, href: string): void => {
    if (links.length >= HTML_LIMITS.links) {
      linksOmitted++;
      return;
    }
    links.push(makeLink(text, href));
  };
  let pendingBreak = 0;
  // Link text is what the reader sees: hidden words never join it (they would travel on with the link).
  const emit = (s: string, state: Inherited): void => {
    if (state.hidden) {
      hiddenBuffer?.push(s);
      return;
    }
    if (pendingBreak > 0) {
      if (s.trim() === '') return; // source indentation between blocks
      if (visible.length > 0) visible.push('\n'.repeat(pendingBreak));
      pendingBreak = 0;
    }
    visible.push(s);
    for (const l of openLinks) l.parts.push(s);
  };
  const lineBreak = (n: number, state: Inherited): void => {
    if (state.hidden) hiddenBuffer?.push(' ');
    else {
      pendingBreak = Math.max(pendingBreak, n);
      for (const l of openLinks) l.parts.push(' ');
    }
  };
  const flushHidden = (): void => {
    const chunk = collapse(hiddenBuffer?.join('') ?? '');
    hiddenBuffer = null;
    if (hasWords(chunk)) pushHidden(hidden, chunk);
  };

  // Iterative walk (enter/exit frames): deeply nested HTML must not overflow the stack.
  type Frame = { node: Node; state: Inherited; exit?: () => void };
  const stack: Frame[] = [{ node: doc, state: { hidden: false, pre: false, colour: undefined, background: WHITE } }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if (frame.exit) {
      frame.exit();
      continue;
    }
    const { node, state } = frame;
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterTypes.TextNode).value;
      emit(state.pre ? value : value.replace(/\s+/g, ' '), state);
      continue;
    }
    if (!('childNodes' in node)) continue;
    if (!('tagName' in node)) {
      pushChildren(stack, node.childNodes, state);
      continue;
    }
    const el = node as Element;
    const tag = el.tagName;
    if (DROPPED.has(tag)) continue;

    const child = inheritedFor(el, state, classRules);
    const startsHidden = child.hidden && !state.hidden;
    if (startsHidden) hiddenBuffer = [];
    const around = BREAKS[tag];

    if (tag === 'img') {
      image(el, child, emit, addLink);
      if (startsHidden) flushHidden();
      continue;
    }
    if (around) lineBreak(around, child);
    const href = tag === 'a' || tag === 'area' ? attr(el, 'href') : undefined;
    const link = href !== undefined && href.trim() !== '' ? { href, parts: [] as string[], hidden: child.hidden } : undefined;
    if (link) openLinks.push(link);

    stack.push({
      node,
      state,
      exit: () => {
        if (link) {
          openLinks.splice(openLinks.indexOf(link), 1);
          const text = link.hidden ? '[hidden link]' : collapse(link.parts.join('')) || attr(el, 'title') || '';
          // A linked picture is a link, not an image that loads: say so, so image checks leave it alone.
          addLink(/^\[image(?::[^\]]*)?\]$/.test(text) ? `[linked ${text.slice(1)}` : text, link.href);
        }
        if (around) lineBreak(around, child);
        else if (CELLS.has(tag)) emit(' ', child);
        if (startsHidden) flushHidden();
      },
    });
    pushChildren(stack, el.childNodes, child);
  }

  for (const c of comments) {
    const words = commentWords(c);
    if (words) pushHidden(hidden, words);
  }
  return { text: tidy(visible.join('')), hidden, links, linksOmitted };
}

function pushChildren(stack: Array<{ node: Node; state: Inherited }>, children: readonly Node[], state: Inherited): void {
  for (let i = children.length - 1; i >= 0; i--) {
    const c = children[i];
    if (c) stack.push({ node: c, state });
  }
}

/**
 * Pre-pass over the whole tree: every `<style>` sheet (rules may come after the content they hide)
 * and every comment, including those in `<head>`, which the main walk skips.
 */
function collect(root: Node, styleSheets: string[], comments: string[]): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as Node;
    if (n.nodeName === '#comment') comments.push((n as DefaultTreeAdapterTypes.CommentNode).data);
    else if ('tagName' in n && n.tagName === 'style') styleSheets.push(n.childNodes.map((c) => ('value' in c ? c.value : '')).join(''));
    else if ('childNodes' in n) for (let i = n.childNodes.length - 1; i >= 0; i--) stack.push(n.childNodes[i] as Node);
  }
}

function inheritedFor(el: Element, parent: Inherited, classRules: ReadonlyMap<string, string>): Inherited {
  const decls = parseDeclarations(attr(el, 'style') ?? '');
  const ownColour = parseColour(decls.get('color')) ?? (el.tagName === 'font' ? parseColour(attr(el, 'color')) : undefined);
  const ownBackground = backgroundColour(decls) ?? parseColour(attr(el, 'bgcolor'));
  const colour = ownColour ?? parent.colour;
  const background = ownBackground && ownBackground[3] > 0.05 ? ownBackground : parent.background;
  const sameColour = (ownColour !== undefined || ownBackground !== undefined) && colour !== undefined && indistinguishable(colour, background);
  const hidden =
    parent.hidden ||
    attr(el, 'hidden') !== undefined ||
    hidingRule(decls) !== undefined ||
    sameColour ||
    // aria-hidden alone is ordinary (decorative icons); with a very small font it is a way to hide words.
    (attr(el, 'aria-hidden') === 'true' && (lengthPx(decls.get('font-size')) ?? 99) <= 5) ||
    (attr(el, 'class') ?? '').split(/\s+/).some((c) => classRules.has(c));
  return { hidden, pre: parent.pre || el.tagName === 'pre', colour, background };
}

/** Images never load: a visible `[image: alt]` marker, and the source listed as a link so its host can be checked. */
function image(el: Element, state: Inherited, emit: (s: string, st: Inherited) => void, addLink: (text: string, href: string) => void): void {
  const alt = truncate(collapse(attr(el, 'alt') ?? ''), HTML_LIMITS.altChars);
  const decls = parseDeclarations(attr(el, 'style') ?? '');
  const tiny = [attr(el, 'width'), attr(el, 'height'), decls.get('width'), decls.get('height')].some((v) => {
    const px = lengthPx(v);
    return px !== undefined && px <= 2;
  });
  const src = attr(el, 'src');
  if (tiny) {
    if (src) addLink('[tracking image]', src);
    return;
  }
  const marker = alt ? `[image: ${alt}]` : '[image]';
  emit(` ${marker} `, state);
  if (src) addLink(state.hidden ? '[image, hidden]' : marker, src);
}

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

function pushHidden(hidden: string[], chunk: string): void {
  if (hidden.length < HTML_LIMITS.hiddenChunks) hidden.push(truncate(chunk, HTML_LIMITS.hiddenChunkChars));
}

/**
 * A comment's words, if it has any: Outlook conditional-comment markup (`[if mso]>…<![endif]`)
 * and tags are removed first, and a single word ("Header") is template furniture, not text.
 */
function commentWords(comment: string): string | undefined {
  const text = collapse(
    comment
      .replace(/<(style|script)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/\[if [^\]]*\]>|<!\[endif\]|<!?\[?[^<>]*>/gi, ' '),
  );
  return (text.match(/\p{L}{2,}/gu)?.length ?? 0) >= 2 ? text : undefined;
}

const hasWords = (s: string): boolean => /\p{L}{2,}/u.test(s);
const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Per-line whitespace collapsed and trimmed, at most one blank line in a row. */
function tidy(s: string): string {
  return s
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
