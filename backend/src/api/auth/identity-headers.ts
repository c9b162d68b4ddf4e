import { IDENTITY_HEADER_NAMES, REQUIRED_IDENTITY_HEADERS, type Principal } from '@pm-agent/shared';
import type { AuthRefusal } from './authenticator';

export type HeaderReader = (name: string) => string | undefined;

/**
 * Identity headers are believed only when the signature covers them: every one present must be in
 * SignedHeaders (else anyone could add `x-pm-role: admin` to a signed call), each may appear once,
 * and the principal's required ones must be there. The same check runs locally and on AWS.
 */
export function readIdentityHeaders(
  principal: Principal,
  headers: ReadonlyArray<[string, string]>,
  signedHeaders: readonly string[],
): { ok: true; header: HeaderReader } | AuthRefusal {
  const present = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.trim().toLowerCase();
    if (IDENTITY_HEADER_NAMES.includes(key)) present.set(key, [...(present.get(key) ?? []), value.trim()]);
  }
  const repeated = [...present].filter(([, values]) => values.length > 1).map(([name]) => name);
  if (repeated.length) return refuse(`Identity headers may appear only once: ${repeated.join(', ')}.`);
  const unsigned = [...present.keys()].filter((name) => !signedHeaders.includes(name));
  if (unsigned.length) {
    return refuse(`Identity headers must be signed: ${unsigned.join(', ')} ${unsigned.length > 1 ? 'are' : 'is'} not in the request's SignedHeaders. Sign every identity header you send.`);
  }
  const missing = REQUIRED_IDENTITY_HEADERS[principal].filter((name) => !present.has(name));
  if (missing.length) return refuse(`${principal} calls must send and sign ${missing.join(' and ')}.`);
  return { ok: true, header: (name) => present.get(name)?.[0] };
}

function refuse(message: string): AuthRefusal {
  return { ok: false, errorType: 'IncompleteSignatureException', message };
}

/** SignedHeaders from an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=a;b, Signature=…` header; undefined if absent. */
export function signedHeadersOf(authorization: string | undefined): string[] | undefined {
  const m = authorization ? /(?:^|[\s,])SignedHeaders=([^,\s]*)/.exec(authorization) : null;
  if (!m || !authorization!.startsWith('AWS4-HMAC-SHA256 ')) return undefined;
  return m[1]!.split(';').map((h) => h.trim().toLowerCase()).filter(Boolean);
}
