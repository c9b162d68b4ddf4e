/** Untrusted text cut to CLAMP_LINES lines (and CLAMP_CHARS characters) until the reader asks for all of it. */
export const CLAMP_LINES = 3;
export const CLAMP_CHARS = 240;

export function clampText(value: string): { short: string; cut: boolean } {
  const lines = value.split(/\r?\n/);
  let short = lines.slice(0, CLAMP_LINES).join('\n');
  if (short.length > CLAMP_CHARS) short = `${short.slice(0, CLAMP_CHARS).replace(/\s+\S*$/, '')}…`;
  else if (lines.length > CLAMP_LINES) short = `${short}…`;
  return { short, cut: short !== value };
}
