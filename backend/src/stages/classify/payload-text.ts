import { removeInvisible, truncate } from '@pm-agent/shared';

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
