const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random id such as `sug_3fK9…` (24 base62 characters, about 143 bits). */
export function newId(prefix: string, length = 24): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  // 248 is the largest multiple of 62 below 256: rejecting bytes above it keeps every character equally likely.
  for (const b of bytes) out += b < 248 ? ALPHABET[b % 62] : ALPHABET[globalThis.crypto.getRandomValues(new Uint8Array(1))[0]! % 62];
  return `${prefix}_${out}`;
}
