import { truncate } from '@pm-agent/shared';

/** How much surrounding text a signal shows on each side of what triggered it. */
const CONTEXT_CHARS = 60;
export const EXCERPT_CHARS = 200;

/**
 * The span [start, end) of `source` with a few surrounding words, on one line, cut to `max`
 * characters, with "…" where text was left out. This is what a person reads to see WHY a
 * signal fired, so the triggering words themselves are always kept whole when they fit.
 */
export function excerpt(source: string, start: number, end: number, max = EXCERPT_CHARS): string {
  if (end - start >= max - 2) return truncate(collapse(source.slice(start, end)), max);
  const room = Math.min(CONTEXT_CHARS, Math.floor((max - 2 - (end - start)) / 2));
  let from = Math.max(0, start - room);
  let to = Math.min(source.length, end + room);
  // Snap to whole words, never eating into the span itself.
  if (from > 0) {
    const ws = source.slice(from, start).search(/\s/);
    from = ws >= 0 ? from + ws + 1 : start;
  }
  if (to < source.length) {
    const tail = source.slice(end, to);
    const ws = tail.search(/\s\S*$/);
    to = ws >= 0 ? end + ws : end;
  }
  const body = collapse(source.slice(from, to));
  return truncate(`${from > 0 ? '…' : ''}${body}${to < source.length ? '…' : ''}`, max);
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
