/**
 * Encodings an injected instruction may hide behind, as data: where such a blob starts and how
 * to decode it. A blob only matters if it decodes to readable text (checked by the caller);
 * long IDs, hashes and tracking tokens decode to noise and are ignored.
 */
export interface Encoding {
  name: string;
  pattern: RegExp;
  decode: (blob: string) => string | undefined;
}

export const ENCODINGS: readonly Encoding[] = [
  {
    name: 'base64',
    pattern: /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{24,}={0,2}(?![A-Za-z0-9+/=_-])/g,
    decode: (blob) => (/[0-9+/=_-]|[a-z][A-Z]|[A-Z]{2}[a-z]/.test(blob) ? Buffer.from(blob, 'base64').toString('utf8') : undefined),
  },
  {
    name: 'hex',
    pattern: /(?<![0-9a-f])(?:[0-9a-f]{2}[ :]?){12,}(?![0-9a-f])/gi,
    decode: (blob) => Buffer.from(blob.replace(/[ :]/g, ''), 'hex').toString('utf8'),
  },
  {
    name: 'escaped hex',
    pattern: /(?:(?:\\x|0x)[0-9a-f]{2}[ ,]*){6,}/gi,
    decode: (blob) => Buffer.from(blob.replace(/\\x|0x|[ ,]/gi, ''), 'hex').toString('utf8'),
  },
  {
    name: 'URL encoding',
    pattern: /(?<!\S)[^\s%]*(?:%[0-9a-f]{2}[^\s%]*){4,}/gi,
    decode: (blob) => {
      try {
        return decodeURIComponent(blob.replace(/\+/g, ' '));
      } catch {
        return undefined;
      }
    },
  },
  {
    name: 'Unicode escapes',
    pattern: /(?:\\u[0-9a-f]{4}){4,}/gi,
    decode: (blob) => blob.replace(/\\u([0-9a-f]{4})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
  },
  {
    name: 'HTML character references',
    pattern: /(?:&#(?:x[0-9a-f]{1,6}|\d{1,7});){4,}/gi,
    decode: (blob) =>
      blob.replace(/&#(x[0-9a-f]{1,6}|\d{1,7});/gi, (_, n: string) => {
        const cp = n[0] === 'x' || n[0] === 'X' ? parseInt(n.slice(1), 16) : Number(n);
        return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      }),
  },
];

/** ROT13 keeps positions, so a match in the rotated text points at the same span of the original. */
export function rot13(s: string): string {
  return s.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Decoded text worth reading: mostly printable, with a few real words in it. */
export function readable(s: string): boolean {
  if (s.length < 8) return false;
  let printable = 0;
  for (const ch of s) if (/[\p{L}\p{N}\p{P}\p{Zs}\n\t$+<=>^`|~]/u.test(ch)) printable++;
  return printable / [...s].length >= 0.9 && (s.match(/\p{L}{3,}/gu)?.length ?? 0) >= 3;
}
