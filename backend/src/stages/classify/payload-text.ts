import { composeQuoted, removeInvisible, truncate, type DeclaredFieldOrigin } from '@pm-agent/shared';

/**
 * Text for action payloads, made to pass the catalogue's text()/line() schemas by construction:
 * control and invisible characters removed, cut to the limit, and never empty (a fallback is
 * required, because an empty string fails every text field).
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function scrub(s: string): string {
  return removeInvisible(s).replace(/\r\n?/g, '\n').replace(CONTROLS, ' ');
}

/** Multi-line text (newlines and tabs kept), at most `max` characters. */
export function block(s: string, max: number, fallback: string): string {
  const out = truncate(scrub(s).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim(), max);
  return out || truncate(fallback, max);
}

/** One line, whitespace collapsed, at most `max` characters. */
export function oneLine(s: string, max: number, fallback: string): string {
  const out = truncate(scrub(s).replace(/\s+/g, ' ').trim(), max);
  return out || truncate(fallback, max);
}

/**
 * Multi-line text built from the agent's own words and pieces quoted from the email, with the
 * quoted spans recorded as the field's origin (untrusted), so panels can mark them as quoted.
 * Each piece is cleaned on its own, so the spans stay exact; a cut at `max` clamps them.
 */
export function quotedBlock(parts: ReadonlyArray<string | { quote: string }>, max: number, fallback: string): { text: string; origin: DeclaredFieldOrigin } {
  const clean = (t: string): string => scrub(t).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
  const pieces = parts.map((p) => (typeof p === 'string' ? clean(p) : { quote: clean(p.quote).trim() }));
  const { text, quoted } = composeQuoted(pieces);
  const out = truncate(text.trim(), max);
  if (!out) return { text: truncate(fallback, max), origin: { origin: 'untrusted', quoted: [] } };
  const lead = text.length - text.trimStart().length;
  const spans = quoted.map((q) => ({ start: Math.max(0, q.start - lead), end: Math.min(out.length, q.end - lead) })).filter((q) => q.end > q.start);
  return { text: out, origin: { origin: 'untrusted', quoted: spans } };
}
