/**
 * Server text can echo what we sent: API Gateway's InvalidSignatureException, for one, prints the
 * canonical request, signed header values (the session token) included. Anything a server says
 * passes through here before it reaches an error message.
 */

const REDACTED = '[redacted]';
const MAX_SERVER_TEXT = 500;

/** Removes every occurrence of each secret, keeps only the first paragraph and caps the length. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join(REDACTED);
  }
  // API Gateway appends the canonical request and string-to-sign after a blank line.
  const paragraphEnd = out.search(/\r?\n\s*\r?\n/);
  if (paragraphEnd >= 0) out = out.slice(0, paragraphEnd);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_SERVER_TEXT ? `${out.slice(0, MAX_SERVER_TEXT - 1)}…` : out;
}
