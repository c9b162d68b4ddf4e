import { describeLink, truncate, type EmailLink } from '@pm-agent/shared';

/** As LinkSchema and CleanEmailSchema allow. */
export const LINK_LIMITS = { count: 200, textChars: 500, hrefChars: 2_000, hostChars: 300 } as const;

/**
 * Links found in plain text: markdown images and links (`![alt](url)`, `[text](url)`) keep their
 * text, so a label that shows one host while pointing at another can be spotted; bare URLs are
 * their own text. Nothing is fetched.
 */
const TEXT_LINK_PATTERNS: ReadonlyArray<{ pattern: RegExp; text: (m: RegExpMatchArray) => string; href: (m: RegExpMatchArray) => string }> = [
  { pattern: /!\[([^\]\n]{0,300})\]\(\s*<?((?:https?:)?\/\/[^\s)>]+)/gi, text: (m) => (m[1]?.trim() ? `[image: ${m[1].trim()}]` : '[image]'), href: (m) => m[2] ?? '' },
  { pattern: /(?<!!)\[([^\]\n]{1,300})\]\(\s*<?((?:https?|mailto):[^\s)>]+)/gi, text: (m) => m[1] ?? '', href: (m) => m[2] ?? '' },
  { pattern: /\b(?:https?:\/\/|www\.)[^\s<>"'`\]\[(){}]+/gi, text: (m) => trimUrl(m[0]), href: (m) => trimUrl(m[0]) },
];

export function linksInText(text: string): EmailLink[] {
  const out: EmailLink[] = [];
  for (const { pattern, text: textOf, href: hrefOf } of TEXT_LINK_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const raw = hrefOf(m);
      const href = raw.startsWith('//') ? `https:${raw}` : /^www\./i.test(raw) ? `https://${raw}` : raw;
      out.push(makeLink(textOf(m), href));
    }
  }
  return out;
}

export function makeLink(text: string, rawHref: string): EmailLink {
  const info = describeLink(rawHref);
  return {
    text: truncate(text, LINK_LIMITS.textChars),
    href: truncate(info?.href ?? rawHref.trim(), LINK_LIMITS.hrefChars),
    host: truncate(info?.host ?? '', LINK_LIMITS.hostChars),
  };
}

/**
 * One list, first occurrence wins: the same href with the same text is listed once, and a bare
 * URL adds nothing when a labelled link to the same address is already listed.
 */
export function mergeLinks(lists: ReadonlyArray<readonly EmailLink[]>, max: number): { links: EmailLink[]; omitted: number } {
  const seen = new Set<string>();
  const hrefs = new Set<string>();
  const links: EmailLink[] = [];
  let omitted = 0;
  for (const list of lists) {
    for (const l of list) {
      const bare = l.text === l.href || trimUrl(l.text) === l.href || `https://${l.text}` === l.href || `https://${l.text}/` === l.href;
      const key = `${l.href}\n${l.text}`;
      if (seen.has(key) || (bare && hrefs.has(l.href))) continue;
      seen.add(key);
      hrefs.add(l.href);
      if (links.length < max) links.push(l);
      else omitted++;
    }
  }
  return { links, omitted };
}

/** "https://x.example/a." at the end of a sentence: the full stop is not part of the address. */
function trimUrl(u: string): string {
  return u.replace(/[.,;:!?'"]+$/, '');
}
