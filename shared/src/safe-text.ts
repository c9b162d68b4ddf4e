/**
 * Helpers for showing untrusted text (email, Jira, model output) as text. Nothing here produces
 * HTML: renderers must put the result in text nodes.
 */

/** Zero-width characters and bidi controls, which can hide or reorder what a person reads. */
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;

export function removeInvisible(s: string): string {
  return s.replace(INVISIBLE, '');
}

/** Cuts to at most `max` characters (not splitting a surrogate pair), marking the cut. */
export function truncate(s: string, max: number, marker = '…'): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - marker.length);
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return s.slice(0, end) + marker;
}

export interface LinkInfo {
  /** The full host a person should check before following the link, e.g. "login.example.com.evil.io". */
  host: string;
  href: string;
  /** Only http(s) links may be offered for following, and only as a separate, explicit step. */
  followable: boolean;
}

export function describeLink(raw: string): LinkInfo | undefined {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  const followable = url.protocol === 'https:' || url.protocol === 'http:';
  return { host: url.hostname || url.protocol.replace(/:$/, ''), href: url.href, followable };
}

/** Single-line preview of untrusted text: invisible characters removed, whitespace collapsed, cut. */
export function preview(s: string, max = 280): string {
  return truncate(removeInvisible(s).replace(/\s+/g, ' ').trim(), max);
}

/** Untrusted text cut to CLAMP_LINES lines (and CLAMP_CHARS characters) until the reader asks for all of it. */
export const CLAMP_LINES = 3;
export const CLAMP_CHARS = 240;

/** A narrower place (the 320 px Outlook pane) passes its own budget: fewer characters fit its three lines. */
export function clampText(value: string, limits: { lines: number; chars: number } = { lines: CLAMP_LINES, chars: CLAMP_CHARS }): { short: string; cut: boolean } {
  const lines = value.split(/\r?\n/);
  let short = lines.slice(0, limits.lines).join('\n');
  if (short.length > limits.chars) short = `${short.slice(0, limits.chars).replace(/\s+\S*$/, '')}…`;
  else if (lines.length > limits.lines) short = `${short}…`;
  return { short, cut: short !== value };
}
