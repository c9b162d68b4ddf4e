import { removeInvisible, truncate, type Signal } from '@pm-agent/shared';
import { collapse } from './excerpt';

/**
 * Characters a reader cannot see: zero-width characters split keywords past filters, bidi
 * controls make text display in a different order than it is stored, and Unicode "tag"
 * characters can spell out a whole hidden sentence. They are removed; where they were is
 * reported with each one shown as a visible name.
 */
const NAMES: Record<string, string> = {
  '\u00AD': 'soft hyphen',
  '\u034F': 'combining grapheme joiner',
  '\u115F': 'Hangul filler',
  '\u1160': 'Hangul filler',
  '\u180E': 'Mongolian vowel separator',
  '\u200B': 'zero-width space',
  '\u200C': 'zero-width non-joiner',
  '\u200D': 'zero-width joiner',
  '\u200E': 'left-to-right mark',
  '\u200F': 'right-to-left mark',
  '\u202A': 'left-to-right embedding',
  '\u202B': 'right-to-left embedding',
  '\u202C': 'pop directional formatting',
  '\u202D': 'left-to-right override',
  '\u202E': 'right-to-left override',
  '\u2060': 'word joiner',
  '\u2061': 'invisible function application',
  '\u2062': 'invisible times',
  '\u2063': 'invisible separator',
  '\u2064': 'invisible plus',
  '\u2066': 'left-to-right isolate',
  '\u2067': 'right-to-left isolate',
  '\u2068': 'first strong isolate',
  '\u2069': 'pop directional isolate',
  '\u3164': 'Hangul filler',
  '\uFEFF': 'zero-width no-break space',
  '\uFFA0': 'Hangul filler',
};
const BIDI = new Set(['\u202A', '\u202B', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068']);

// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u00AD\u034F\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0]|[\u{E0000}-\u{E007F}]/gu;
/** Non-global twin for test(): a global regex's lastIndex would leak into the matchAll below. */
const HAS_INVISIBLE = new RegExp(INVISIBLE.source, 'u');
const TAGS = /[\u{E0000}-\u{E007F}]+/gu;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

export interface InvisibleReport {
  /** The text without invisible characters. */
  text: string;
  /** Sentences spelled in Unicode tag characters, decoded: hidden text in its own right. */
  tagText: string[];
  /** One signal for the field, or none. */
  signal: Signal | undefined;
}

export function stripInvisible(raw: string, where: Signal['where']): InvisibleReport {
  if (!HAS_INVISIBLE.test(raw)) return { text: raw, tagText: [], signal: undefined };
  const tagText = [...raw.matchAll(TAGS)].map((m) => decodeTags(m[0])).filter((t) => t.trim() !== '');
  const counts = new Map<string, number>();
  const windows: Array<{ from: number; to: number }> = [];
  let renderedUpTo = 0;
  let bidi = false;
  for (const m of raw.matchAll(INVISIBLE)) {
    const ch = m[0];
    const at = m.index;
    if (ch === '\u200D' && isEmojiJoin(raw, at)) continue; // 👩‍💻: a joiner between pictographs is how emoji are built
    const name = NAMES[ch] ?? 'Unicode tag character';
    counts.set(name, (counts.get(name) ?? 0) + 1);
    if (BIDI.has(ch)) bidi = true;
    // Show up to three places; characters close together share one rendering.
    if (windows.length < 3 && at >= renderedUpTo) {
      const w = windowAround(raw, at, renderedUpTo);
      windows.push(w);
      renderedUpTo = w.to;
    }
  }
  const text = removeInvisible(raw).replace(INVISIBLE, '');
  if (counts.size === 0) return { text, tagText, signal: undefined };
  const summary = [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
  // Adjacent windows read as one stretch of text; a gap between them is marked "…".
  let shown = '';
  let last = 0;
  for (const w of windows) {
    shown += `${w.from > last || (w.from > 0 && last === 0) ? '…' : ''}${visible(raw.slice(w.from, w.to))}`;
    last = w.to;
  }
  if (last < raw.length) shown += '…';
  const decoded = tagText.length ? ` Tag characters spell: "${truncate(collapse(tagText.join(' ')), 150)}"` : '';
  return {
    text,
    tagText,
    signal: {
      kind: 'invisible_characters',
      where,
      text: truncate(`${shown.trim()}${decoded}`, 500),
      explanation: truncate(
        `Invisible characters were removed (${summary}).` +
          (bidi ? ' Direction controls make text display in a different order than it is stored.' : ' They can split words to slip past filters or hide text.'),
        300,
      ),
    },
  };
}

/** A few characters either side of position `at` (a whole run of tag characters), not before `notBefore`. */
function windowAround(raw: string, at: number, notBefore: number): { from: number; to: number } {
  let from = Math.max(notBefore, at - 20);
  let to = Math.min(raw.length, at + 24);
  const tagRun = /^[\u{E0000}-\u{E007F}]+/u.exec(raw.slice(at));
  if (tagRun) to = Math.min(raw.length, at + tagRun[0].length + 24);
  if (/[\uDC00-\uDFFF]/.test(raw[from] ?? '')) from--;
  if (/[\uD800-\uDBFF]/.test(raw[to - 1] ?? '')) to++;
  return { from, to };
}

/** Every invisible character shown as [U+XXXX], a run of tag characters as one "[tag characters]". */
function visible(s: string): string {
  return (s.replace(TAGS, '[tag characters]').replace(INVISIBLE, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`)).replace(/\s+/g, ' ');
}

function isEmojiJoin(raw: string, at: number): boolean {
  const before = raw.slice(Math.max(0, at - 3), at).replace(/\uFE0F/g, '');
  const after = raw.slice(at + 1, at + 3);
  return PICTOGRAPH.test(before) && PICTOGRAPH.test(after);
}

/** Tag characters U+E0020–U+E007E mirror ASCII; the rest (language tag, cancel) carry no letters. */
function decodeTags(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = (ch.codePointAt(0) ?? 0) - 0xe0000;
    if (cp >= 0x20 && cp <= 0x7e) out += String.fromCharCode(cp);
  }
  return out;
}
