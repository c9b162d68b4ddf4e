/**
 * Untrusted text as a person should see it. Zero-width characters and bidi controls can hide words
 * or reverse what a reader sees, so each one is shown as a visible marker such as [U+202E] instead
 * of being obeyed. Everything else is shown exactly as it came, as text.
 */
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]|[\u{E0000}-\u{E007F}]/gu;

export function reveal(s: string): string {
  return s.replace(INVISIBLE, (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** "2026-11-18 08:12 UTC": unambiguous whatever the reader's locale. */
export function when(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * Three lines of a 320 px pane: about 36 characters a line in a card. clampText cuts to this; the
 * `clamp` class (CSS line-clamp) holds the three lines even when words are long.
 */
export const PANE_CLAMP = { lines: 3, chars: 100 } as const;
