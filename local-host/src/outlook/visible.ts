/**
 * Text from an email as the local host's own page shows it: zero-width and direction-control
 * characters become visible markers such as [U+202E], so a right-to-left override in a subject
 * cannot reorder the email list or the view around it (the page's CSS isolates each entry too).
 */
// eslint-disable-next-line no-misleading-character-class
const CONTROLS = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export function visible(s: string): string {
  return s.replace(CONTROLS, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}
