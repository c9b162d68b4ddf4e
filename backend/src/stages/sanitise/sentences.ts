/**
 * Clean email text split into sentences, each marked as part of the new message or of the quoted
 * reply chain below it (older mail: not what this email asks).
 */
export interface Sentence {
  text: string;
  quoted: boolean;
}

/** Lines that start the quoted chain: everything from here on was written earlier, by someone else. */
const REPLY_HEADERS: readonly RegExp[] = [
  /^on\b.{0,200}\bwrote:\s*$/i,
  /^-{2,}\s*(?:original|forwarded)\s+message\s*-{2,}/i,
  /^_{5,}\s*$/,
  /^from:\s.+/i,
  /^begin forwarded message:?/i,
];

const LIST_ITEM = /^(?:[-*•]|\d{1,2}[.)])\s/;

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let quotedFromHere = false;
  const paragraphs: Array<{ lines: string[]; quoted: boolean }> = [];
  let current: { lines: string[]; quoted: boolean } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!quotedFromHere && REPLY_HEADERS.some((r) => r.test(line))) quotedFromHere = true;
    const quoted = quotedFromHere || line.startsWith('>');
    const content = line.replace(/^(?:>\s?)+/, '').trim();
    if (content === '' || (current && current.quoted !== quoted)) {
      if (current) paragraphs.push(current);
      current = undefined;
      if (content === '') continue;
    }
    current ??= { lines: [], quoted };
    current.lines.push(content);
  }
  if (current) paragraphs.push(current);

  for (const p of paragraphs) {
    // Hard-wrapped prose reads as one paragraph; short lines (lists, signatures, headers) stand alone.
    const wrapped = p.lines.length > 1 && p.lines.slice(0, -1).every((l) => l.length >= 50 && !/[:;]$/.test(l)) && !p.lines.some((l) => LIST_ITEM.test(l));
    const units = wrapped ? [p.lines.join(' ')] : p.lines;
    for (const unit of units) {
      for (const s of unit.split(/(?<=[.!?])\s+(?=["'‘“(\[]?[\p{Lu}\p{N}])/u)) {
        const t = s.trim();
        if (t) out.push({ text: t, quoted: p.quoted });
      }
    }
  }
  return out;
}
