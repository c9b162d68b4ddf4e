/**
 * AWS Signature Version 4, one function per step of the spec.
 * Spec: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Shaped like mhart/aws4fetch's signer, but run on the server: every input is what arrived on the
 * wire, so these functions re-derive the canonical form instead of trusting the client's encoding.
 * Hashing uses WebCrypto (`globalThis.crypto.subtle`) so the same code runs on Node 20 and Lambda.
 */

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const SCOPE_TERMINATOR = 'aws4_request';
/** Hex SHA-256 of zero bytes: the payload hash of every bodiless request. */
export const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * 'double': AWS rule for every service but S3 – each path segment is URI-encoded twice. The path on
 *   the wire is already the first encoding, so the canonical URI encodes the received path once more
 *   (this is what aws4fetch and @smithy/signature-v4 compute for execute-api).
 * 'single': the path is decoded and encoded exactly once – the official test suite's convention.
 */
export type PathEncoding = 'double' | 'single';

/** One header line as received: [name, value]. A folded (obs-fold) value keeps its line breaks. */
export type HeaderLine = readonly [name: string, value: string];

/** The parts of a received request that the canonical request is built from. */
export interface RequestParts {
  method: string;
  /** path + query as received, still percent-encoded */
  rawPath: string;
  headers: ReadonlyArray<HeaderLine>;
}

const HEX_DIGITS = '0123456789ABCDEF';
const PERCENT = 0x25;
const PLUS = 0x2b;
const SPACE = 0x20;
const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Percent-encoding, done on bytes so malformed escapes or invalid UTF-8 can never throw.

/** RFC 3986 unreserved: A-Z a-z 0-9 - _ . ~ – the only bytes SigV4 leaves as they are. */
function isUnreservedByte(byte: number): boolean {
  return (
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x2d ||
    byte === 0x5f ||
    byte === 0x2e ||
    byte === 0x7e
  );
}

function hexDigitValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  return HEX_DIGITS.indexOf(String.fromCharCode(byte).toUpperCase());
}

/** SigV4's UriEncode: every byte but the unreserved ones becomes %XY with upper-case hex. */
export function uriEncode(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += isUnreservedByte(byte)
      ? String.fromCharCode(byte)
      : '%' + HEX_DIGITS.charAt(byte >> 4) + HEX_DIGITS.charAt(byte & 0x0f);
  }
  return out;
}

/**
 * Turns %XY escapes into the bytes they stand for; everything else, including a '%' that does not
 * start a valid escape, is kept as its UTF-8 bytes (the way URLSearchParams treats it).
 */
export function percentDecode(text: string, plusMeansSpace = false): Uint8Array {
  const input = utf8.encode(text);
  const out: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const byte = input[i]!;
    const high = byte === PERCENT ? hexDigitValue(input[i + 1]) : -1;
    const low = byte === PERCENT ? hexDigitValue(input[i + 2]) : -1;
    if (high >= 0 && low >= 0) {
      out.push((high << 4) | low);
      i += 2;
    } else {
      out.push(plusMeansSpace && byte === PLUS ? SPACE : byte);
    }
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// Step 1: canonical request.

/** Splits "path?query" as received; there is no fragment on the wire. */
export function splitRawPath(rawPath: string): { path: string; query: string } {
  const at = rawPath.indexOf('?');
  return at < 0 ? { path: rawPath, query: '' } : { path: rawPath.slice(0, at), query: rawPath.slice(at + 1) };
}

/**
 * Removes '.' and '..' segments and collapses repeated slashes, keeping a trailing slash – the
 * suite's normalize-path cases, and @smithy/signature-v4's getCanonicalPath. (S3 must not be
 * normalised; this verifier is not for S3.)
 */
export function normalizePath(path: string): string {
  const kept: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') kept.pop();
    else kept.push(segment);
  }
  const trailingSlash = kept.length > 0 && path.endsWith('/');
  return '/' + kept.join('/') + (trailingSlash ? '/' : '');
}

/** CanonicalURI: the normalised path, each segment encoded per `encoding`; '/' separators stay. */
export function canonicalUri(path: string, encoding: PathEncoding): string {
  const encodeSegment =
    encoding === 'double'
      ? (segment: string) => uriEncode(utf8.encode(segment))
      : (segment: string) => uriEncode(percentDecode(segment));
  return normalizePath(path).split('/').map(encodeSegment).join('/');
}

function compareParams([keyA, valueA]: [string, string], [keyB, valueB]: [string, string]): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  if (valueA !== valueB) return valueA < valueB ? -1 : 1;
  return 0;
}

/**
 * CanonicalQueryString: each name and value decoded, re-encoded with UriEncode, sorted by name then
 * value, `name=` for an empty value. A '+' is read as a space (form encoding): aws4fetch signs the
 * URLSearchParams view of the query, in which '+' is a space; SDKs always send a literal plus as %2B.
 * Parameters with an empty name are dropped, as aws4fetch does.
 */
export function canonicalQueryString(query: string): string {
  return query
    .split('&')
    .filter((param) => param !== '')
    .map((param): [string, string] => {
      const at = param.indexOf('=');
      const name = at < 0 ? param : param.slice(0, at);
      const value = at < 0 ? '' : param.slice(at + 1);
      return [uriEncode(percentDecode(name, true)), uriEncode(percentDecode(value, true))];
    })
    .filter(([name]) => name !== '')
    .sort(compareParams)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * One header value in canonical form: trimmed, runs of spaces/tabs collapsed to one space. A folded
 * value (obs-fold continuation lines) has its lines joined with ',' – the suite's
 * get-header-value-multiline expects "value1,value2,value3".
 */
export function canonicalHeaderValue(rawValue: string): string {
  return rawValue
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/[ \t]+/g, ' '))
    .join(',');
}

/** All values received for each lower-cased header name, in order of appearance. */
export function headerValuesByName(headers: ReadonlyArray<HeaderLine>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = name.trim().toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), value]);
  }
  return byName;
}

/**
 * CanonicalHeaders: "name:value\n" for each signed header, in the order given (callers pass the
 * sorted SignedHeaders list). A repeated header's values are joined with ',' in order of arrival.
 */
export function canonicalHeaders(headers: ReadonlyArray<HeaderLine>, signedHeaders: readonly string[]): string {
  const byName = headerValuesByName(headers);
  return signedHeaders
    .map((name) => `${name}:${(byName.get(name) ?? []).map(canonicalHeaderValue).join(',')}\n`)
    .join('');
}

/** SignedHeaders: lower-case names joined with ';'. */
export function signedHeadersString(signedHeaders: readonly string[]): string {
  return signedHeaders.join(';');
}

/** HashedPayload: hex SHA-256 of the body bytes as received. */
export async function hashedPayload(body: Uint8Array): Promise<string> {
  // Copy so the digest gets a plain ArrayBuffer-backed view whatever buffer the caller used.
  return hexSha256(new Uint8Array(body));
}

export interface CanonicalRequestParts {
  method: string;
  canonicalUri: string;
  canonicalQueryString: string;
  canonicalHeaders: string;
  signedHeaders: string;
  hashedPayload: string;
}

/** CanonicalRequest: the six parts, one per line (canonicalHeaders brings its own trailing "\n"). */
export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method.toUpperCase(),
    parts.canonicalUri,
    parts.canonicalQueryString,
    parts.canonicalHeaders,
    parts.signedHeaders,
    parts.hashedPayload,
  ].join('\n');
}

/** Steps 1a–1f for a received request: the canonical request covering `signedHeaders` (sorted, lower case). */
export function canonicalRequestFor(
  request: RequestParts,
  signedHeaders: readonly string[],
  payloadHash: string,
  pathEncoding: PathEncoding,
): string {
  const { path, query } = splitRawPath(request.rawPath);
  return canonicalRequest({
    method: request.method,
    canonicalUri: canonicalUri(path, pathEncoding),
    canonicalQueryString: canonicalQueryString(query),
    canonicalHeaders: canonicalHeaders(request.headers, signedHeaders),
    signedHeaders: signedHeadersString(signedHeaders),
    hashedPayload: payloadHash,
  });
}

// ---------------------------------------------------------------------------------------------
// Steps 2–4: string to sign, signing key, signature.

/** CredentialScope: date/region/service/aws4_request, date as YYYYMMDD. */
export function credentialScope(date: string, region: string, service: string): string {
  return [date, region, service, SCOPE_TERMINATOR].join('/');
}

/** StringToSign: algorithm, request timestamp (YYYYMMDD'T'HHMMSS'Z'), scope, hex hash of the canonical request. */
export async function stringToSign(timestamp: string, scope: string, canonical: string): Promise<string> {
  return [ALGORITHM, timestamp, scope, await hexSha256(canonical)].join('\n');
}

/** SigningKey: HMAC chain "AWS4"+secret → date → region → service → "aws4_request". */
export async function signingKey(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
): Promise<ArrayBuffer> {
  let key = await hmacSha256(utf8.encode('AWS4' + secretAccessKey), date);
  for (const part of [region, service, SCOPE_TERMINATOR]) key = await hmacSha256(key, part);
  return key;
}

/** Signature: hex HMAC-SHA256 of the string to sign under the signing key. */
export async function signature(key: ArrayBuffer, toSign: string): Promise<string> {
  return toHex(await hmacSha256(key, toSign));
}

// ---------------------------------------------------------------------------------------------
// WebCrypto primitives.

export async function hexSha256(data: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const bytes = typeof data === 'string' ? utf8.encode(data) : data;
  return toHex(await globalThis.crypto.subtle.digest('SHA-256', bytes));
}

async function hmacSha256(key: ArrayBuffer | Uint8Array<ArrayBuffer>, data: string): Promise<ArrayBuffer> {
  const cryptoKey = await globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return globalThis.crypto.subtle.sign('HMAC', cryptoKey, utf8.encode(data));
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
