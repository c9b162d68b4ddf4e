/**
 * Server side of SigV4 header auth, as API Gateway's IAM authoriser does it: parse the Authorization
 * header, check scope, clock and the set of signed headers, look the key up, recompute the signature
 * from the request as received and compare. Error types and messages follow AWS's wording.
 */
import {
  ALGORITHM,
  SCOPE_TERMINATOR,
  canonicalRequestFor,
  credentialScope,
  hashedPayload,
  headerValuesByName,
  signature,
  signingKey,
  splitRawPath,
  stringToSign,
  type PathEncoding,
} from './canonical-request';

export interface ReceivedRequest {
  method: string;
  /** path + query exactly as received on the wire, e.g. "/v1/suggestions?issueKey=ABC-123" (still percent-encoded) */
  rawPath: string;
  /** raw header lines as received, duplicates and order preserved: [name, value][] */
  headers: Array<[string, string]>;
  body: Uint8Array;
}

export interface SigningIdentity {
  secretAccessKey: string;
  principal: string;
  /** extra facts the caller wants carried through, e.g. session subject */
  attributes?: Record<string, string>;
}

export interface VerifyOptions {
  /** expected scope region, e.g. "local" or "us-east-1" */
  region: string;
  /** expected scope service, e.g. "execute-api" */
  service: string;
  now: Date;
  /** default 300 (±5 minutes) */
  clockSkewSeconds?: number;
  /** header names (lower case) that must be among SignedHeaders, in addition to host and x-amz-date; e.g. identity headers */
  requiredSignedHeaders?: string[];
  /** 'double' = AWS rule for non-S3 services (each path segment URI-encoded twice; what aws4fetch does for execute-api); 'single' = what the official test suite's .creq files expect. Default 'double'. */
  pathEncoding?: PathEncoding;
  /** looks up the secret for an access key id; sessionToken is the x-amz-security-token header value if present. Returns null when unknown/invalid. */
  lookupKey(accessKeyId: string, sessionToken: string | undefined): Promise<SigningIdentity | null>;
}

export type VerifyResult =
  | { ok: true; accessKeyId: string; identity: SigningIdentity; signedHeaders: string[] }
  | {
      ok: false;
      status: 403;
      errorType: 'InvalidSignatureException' | 'IncompleteSignatureException' | 'UnrecognizedClientException';
      message: string;
    };

type Refusal = Extract<VerifyResult, { ok: false }>;

const DEFAULT_CLOCK_SKEW_SECONDS = 300;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const DATE_MISSING = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
/** ISO 8601 basic format, the only timestamp form SigV4 signs: 20150830T123600Z. */
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** Query parameters that mark a presigned URL (query-string auth), which this verifier does not accept. */
const PRESIGN_QUERY_PARAMS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature'];
/** AWS lists missing Authorization parameters in this order. */
const AUTHORIZATION_PARAMS = ['Credential', 'Signature', 'SignedHeaders'] as const;

const incomplete = (message: string): Refusal => ({
  ok: false,
  status: 403,
  errorType: 'IncompleteSignatureException',
  message,
});
const invalid = (message: string): Refusal => ({
  ok: false,
  status: 403,
  errorType: 'InvalidSignatureException',
  message,
});
const unrecognized = (message: string): Refusal => ({
  ok: false,
  status: 403,
  errorType: 'UnrecognizedClientException',
  message,
});

function isRefusal<T extends object>(value: T | Refusal): value is Refusal {
  return 'ok' in value && value.ok === false;
}

// ---------------------------------------------------------------------------------------------
// Reading the request.

/** Received headers by lower-case name, values in order of arrival. */
type HeaderIndex = Map<string, string[]>;

/** Headers with one meaning per request: a repeated one is refused rather than guessed at. */
const SINGLE_VALUED_HEADERS = ['authorization', 'x-amz-date', 'date', 'x-amz-security-token', 'x-amz-content-sha256'];

function findRepeatedHeader(headers: HeaderIndex): string | undefined {
  return SINGLE_VALUED_HEADERS.find((name) => (headers.get(name)?.length ?? 0) > 1);
}

function headerValue(headers: HeaderIndex, name: string): string | undefined {
  return headers.get(name)?.[0]?.trim();
}

function hasPresignParams(rawPath: string): boolean {
  const names = splitRawPath(rawPath)
    .query.split('&')
    .map((param) => (param.split('=')[0] ?? '').toLowerCase());
  return PRESIGN_QUERY_PARAMS.some((name) => names.includes(name));
}

interface Credential {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

interface AuthorizationHeader {
  credential: Credential;
  signedHeaders: string[];
  signature: string;
}

/** Credential=AKID/yyyymmdd/region/service/aws4_request */
function parseCredential(value: string): Credential | Refusal {
  const parts = value.split('/');
  if (parts.length !== 5) {
    return incomplete(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`,
    );
  }
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts;
  return { accessKeyId, date, region, service, terminator };
}

/** SignedHeaders=a;b;c – lower-cased and sorted, the order the canonical request lists them in. */
function parseSignedHeaders(value: string): string[] {
  const names = value.split(';').map((name) => name.trim().toLowerCase());
  return [...new Set(names)].filter((name) => name !== '').sort();
}

/** Splits "Credential=…, SignedHeaders=…, Signature=…" into its parameters. */
function parseAuthorizationParams(params: string): Map<string, string> | Refusal {
  const byName = new Map<string, string>();
  for (const pair of params.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const at = pair.indexOf('=');
    if (at <= 0) return incomplete(`Invalid key=value pair (missing equal-sign) in Authorization header: '${pair}'.`);
    byName.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return byName;
}

/**
 * Parses the Authorization header. Missing parameters are reported together, with the missing
 * date header if that is missing too, the way AWS words it.
 */
function parseAuthorization(value: string, dateMissing: boolean): AuthorizationHeader | Refusal {
  const [scheme = '', ...rest] = value.split(' ');
  if (scheme !== ALGORITHM) {
    return incomplete(`Unsupported Authorization type: only '${ALGORITHM}' header authentication is accepted.`);
  }
  const params = parseAuthorizationParams(rest.join(' '));
  if (isRefusal(params)) return params;

  const problems = AUTHORIZATION_PARAMS.filter((name) => !params.get(name)).map(
    (name) => `Authorization header requires '${name}' parameter.`,
  );
  if (dateMissing) problems.push(DATE_MISSING);
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signatureHex = params.get('Signature');
  if (problems.length > 0 || !credential || !signedHeaders || !signatureHex) return incomplete(problems.join(' '));

  const parsedCredential = parseCredential(credential);
  if (isRefusal(parsedCredential)) return parsedCredential;
  return { credential: parsedCredential, signedHeaders: parseSignedHeaders(signedHeaders), signature: signatureHex };
}

interface RequestTimestamp {
  /** the header the timestamp came from: it must be signed */
  header: 'x-amz-date' | 'date';
  /** YYYYMMDD'T'HHMMSS'Z', as it goes into the string to sign */
  amzDate: string;
  instant: Date;
}

function toAmzDate(instant: Date): string {
  return instant.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** 20150830T123600Z; undefined unless it names a real instant (Date would roll 20150230 over to March). */
function parseBasicFormat(value: string): Date | undefined {
  const parts = AMZ_DATE.exec(value);
  if (!parts) return undefined;
  const instant = new Date(`${parts[1]}-${parts[2]}-${parts[3]}T${parts[4]}:${parts[5]}:${parts[6]}Z`);
  return !Number.isNaN(instant.getTime()) && toAmzDate(instant) === value ? instant : undefined;
}

/** IMF-fixdate as in a Date header, e.g. "Sun, 30 Aug 2015 12:36:00 GMT"; nothing looser. */
function parseHttpDate(value: string): Date | undefined {
  const instant = new Date(value);
  return !Number.isNaN(instant.getTime()) && instant.toUTCString() === value ? instant : undefined;
}

/**
 * x-amz-date wins over Date (AWS rule) and must be in basic format. A Date header may instead be an
 * HTTP-date; the string to sign then carries its basic-format rendering.
 */
function parseTimestamp(header: RequestTimestamp['header'], value: string): RequestTimestamp | Refusal {
  const instant = parseBasicFormat(value) ?? (header === 'date' ? parseHttpDate(value) : undefined);
  if (instant === undefined) {
    return incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return { header, amzDate: toAmzDate(instant), instant };
}

interface SignedRequest extends AuthorizationHeader {
  timestamp: RequestTimestamp;
  sessionToken: string | undefined;
  contentSha256: string | undefined;
}

/** Everything the signature check needs from the headers, or the first reason it cannot be done. */
function readSignedRequest(req: ReceivedRequest, headers: HeaderIndex): SignedRequest | Refusal {
  const repeated = findRepeatedHeader(headers);
  if (repeated !== undefined) return incomplete(`Multiple '${repeated}' headers.`);
  const authorization = headerValue(headers, 'authorization');
  const amzDate = headerValue(headers, 'x-amz-date');
  const httpDate = headerValue(headers, 'date');
  if (authorization === undefined) {
    return incomplete(
      hasPresignParams(req.rawPath)
        ? 'Presigned (query-string) SigV4 requests are not supported; sign the Authorization header instead.'
        : `Missing 'Authorization' header: requests must be signed with ${ALGORITHM}.`,
    );
  }

  const timestampValue = amzDate ?? httpDate;
  const auth = parseAuthorization(authorization, timestampValue === undefined);
  if (isRefusal(auth)) return auth;
  if (timestampValue === undefined) return incomplete(DATE_MISSING);
  const timestamp = parseTimestamp(amzDate !== undefined ? 'x-amz-date' : 'date', timestampValue);
  if (isRefusal(timestamp)) return timestamp;
  return {
    ...auth,
    timestamp,
    sessionToken: headerValue(headers, 'x-amz-security-token'),
    contentSha256: headerValue(headers, 'x-amz-content-sha256'),
  };
}

// ---------------------------------------------------------------------------------------------
// Checks, each returning the refusal or undefined.

function checkCredentialScope(
  credential: Credential,
  timestamp: RequestTimestamp,
  opts: VerifyOptions,
): Refusal | undefined {
  const requestDate = timestamp.amzDate.slice(0, 8);
  if (credential.date !== requestDate) {
    return invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
        `'${credential.date}' != '${requestDate}', from '${timestamp.amzDate}'.`,
    );
  }
  if (credential.region !== opts.region) {
    return invalid(`Credential should be scoped to a valid region, not '${credential.region}'. `);
  }
  if (credential.service !== opts.service) {
    return invalid(`Credential should be scoped to correct service: '${opts.service}'. `);
  }
  if (credential.terminator !== SCOPE_TERMINATOR) {
    return invalid(
      `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${credential.terminator}'. `,
    );
  }
  return undefined;
}

function describeSkew(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min.` : `${seconds} sec.`;
}

/** Replay window, worded as AWS does ("Signature expired" / "Signature not yet current"). */
function checkClock(timestamp: RequestTimestamp, now: Date, skewSeconds: number): Refusal | undefined {
  const skewMs = skewSeconds * 1000;
  const earliest = new Date(now.getTime() - skewMs);
  const latest = new Date(now.getTime() + skewMs);
  if (timestamp.instant < earliest) {
    return invalid(
      `Signature expired: ${timestamp.amzDate} is now earlier than ${toAmzDate(earliest)} ` +
        `(${toAmzDate(now)} - ${describeSkew(skewSeconds)})`,
    );
  }
  if (timestamp.instant > latest) {
    return invalid(
      `Signature not yet current: ${timestamp.amzDate} is still later than ${toAmzDate(latest)} ` +
        `(${toAmzDate(now)} + ${describeSkew(skewSeconds)})`,
    );
  }
  return undefined;
}

/**
 * Headers that must be covered by the signature, with why. Beyond AWS's host + date, content-type
 * (a body's meaning depends on it), the session token (else a stolen token could be swapped in) and
 * the caller's identity headers.
 */
function mustBeSigned(req: ReceivedRequest, signed: SignedRequest, opts: VerifyOptions): Array<[string, string]> {
  const required: Array<[string, string]> = [
    ['host', ''],
    [signed.timestamp.header, ''],
    ...(opts.requiredSignedHeaders ?? []).map((name): [string, string] => [
      name.toLowerCase(),
      ' (required by this API)',
    ]),
  ];
  if (req.body.length > 0) required.push(['content-type', ' (the request has a body)']);
  if (signed.sessionToken !== undefined) required.push(['x-amz-security-token', ' (the header is present)']);
  return required;
}

function checkSignedHeaders(
  req: ReceivedRequest,
  headers: HeaderIndex,
  signed: SignedRequest,
  opts: VerifyOptions,
): Refusal | undefined {
  const unsigned = mustBeSigned(req, signed, opts).filter(([name]) => !signed.signedHeaders.includes(name));
  if (unsigned.length > 0) {
    return incomplete(
      unsigned.map(([name, why]) => `'${name}' must be a 'SignedHeader' in the AWS Authorization${why}.`).join(' '),
    );
  }
  const absent = signed.signedHeaders.find((name) => !headers.has(name));
  if (absent !== undefined) {
    return invalid(`Header '${absent}' is listed in SignedHeaders but is not present in the request.`);
  }
  return undefined;
}

/** Constant time for equal lengths: no early exit on the first differing character. */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

async function expectedSignature(
  req: ReceivedRequest,
  signed: SignedRequest,
  secretAccessKey: string,
  payloadHash: string,
  pathEncoding: PathEncoding,
): Promise<string> {
  const { date, region, service } = signed.credential;
  const canonical = canonicalRequestFor(req, signed.signedHeaders, payloadHash, pathEncoding);
  const toSign = await stringToSign(signed.timestamp.amzDate, credentialScope(date, region, service), canonical);
  return signature(await signingKey(secretAccessKey, date, region, service), toSign);
}

// ---------------------------------------------------------------------------------------------

/**
 * Verifies a request signed with SigV4 in the Authorization header. A bad request is a result, never
 * a throw (errors thrown by lookupKey do propagate).
 */
export async function verifySigV4(req: ReceivedRequest, opts: VerifyOptions): Promise<VerifyResult> {
  const headers = headerValuesByName(req.headers);
  const signed = readSignedRequest(req, headers);
  if (isRefusal(signed)) return signed;

  const refusal =
    checkCredentialScope(signed.credential, signed.timestamp, opts) ??
    checkClock(signed.timestamp, opts.now, opts.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS) ??
    checkSignedHeaders(req, headers, signed, opts);
  if (refusal) return refusal;

  const identity = await opts.lookupKey(signed.credential.accessKeyId, signed.sessionToken);
  if (identity === null) return unrecognized(INVALID_TOKEN);

  // The payload hash is always computed from the bytes received; the header is only checked against it.
  const payloadHash = await hashedPayload(req.body);
  if (signed.contentSha256 !== undefined && signed.contentSha256 !== payloadHash) {
    return invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  const pathEncoding = opts.pathEncoding ?? 'double';
  const expected = await expectedSignature(req, signed, identity.secretAccessKey, payloadHash, pathEncoding);
  if (!timingSafeEqual(expected, signed.signature)) return invalid(SIGNATURE_MISMATCH);

  return { ok: true, accessKeyId: signed.credential.accessKeyId, identity, signedHeaders: signed.signedHeaders };
}
