/**
 * Plain-text hygiene for untrusted text: control characters and binary junk out, line endings
 * and Unicode forms normalised, long text cut at a visible marker.
 */

// eslint-disable-next-line no-control-regex
const JUNK = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF\uFDD0-\uFDEF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Control characters, NULs, lone surrogates, replacement and non-characters removed; form feed and vertical tab become line breaks. */
export function stripControls(s: string): { text: string; removed: number } {
  let removed = 0;
  const text = s
    .replace(/\r\n?|[\u000B\u000C\u0085\u2028\u2029]/g, '\n')
    .replace(JUNK, () => {
      removed++;
      return '';
    });
  return { text, removed };
}

/**
 * NFKC folds full-width letters, ligatures and other compatibility forms into plain ones, so
 * "ｉｇｎｏｒｅ" is read (and matched) as "ignore". Applied before any pattern is matched.
 */
export function normaliseForm(s: string): string {
  return s.normalize('NFKC');
}

/** Plain-text body tidied: trailing spaces off, at most one blank line in a row. */
export function tidyPlain(s: string): string {
  return s
    .split('\n')
    .map((line) => line.replace(/[^\S\n\t]+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** 12345 → "12,345", without depending on the process's locale. */
export const groupDigits = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const cutMarker = (notRead: number): string => `[… email cut here: ${groupDigits(notRead)} more characters not read]`;

/**
 * At most `limit` characters, cut at a word boundary near the limit (never inside a surrogate
 * pair), followed by a visible marker saying how much was not read. `droppedBefore` counts text
 * already dropped upstream (so it is reported too).
 */
export function cutText(s: string, limit: number, droppedBefore = 0): { text: string; notRead: number } {
  if (s.length <= limit && droppedBefore === 0) return { text: s, notRead: 0 };
  let end = Math.min(s.length, limit);
  if (end < s.length) {
    const space = s.slice(end - 200, end).search(/\s\S*$/);
    if (space >= 0) end = end - 200 + space;
    if (/[\uD800-\uDBFF]/.test(s[end - 1] ?? '')) end--;
  }
  const notRead = s.length - end + droppedBefore;
  return { text: `${s.slice(0, end).trimEnd()}\n\n${cutMarker(notRead)}`, notRead };
}
