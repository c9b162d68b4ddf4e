/**
 * verifySigV4 against requests signed by real clients: aws4fetch (what our panels use) and
 * @smithy/signature-v4 (the AWS SDK's signer), with execute-api's double path encoding. Then one
 * tampered or incomplete request per refusal rule.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsClient } from 'aws4fetch';
import {
  EMPTY_PAYLOAD_SHA256,
  canonicalRequestFor,
  credentialScope,
  hexSha256,
  signature,
  signingKey,
  stringToSign,
  verifySigV4,
  type ReceivedRequest,
  type SigningIdentity,
  type VerifyOptions,
} from '../../src/api-gateway/sigv4';

const ACCESS_KEY_ID = ['AKIA', 'LOCAL00000000001'].join(''); // fake; split so no key-shaped literal is committed
const SECRET_ACCESS_KEY = 'local/Secret+Key0000000000000000000000000';
const SESSION_TOKEN = 'session-token/with+chars==';
const IDENTITY: SigningIdentity = {
  secretAccessKey: SECRET_ACCESS_KEY,
  principal: 'arn:aws:iam::000000000000:user/panel',
  attributes: { subject: 'jira:5b10ac8d82e05b22cc7d4ef5' },
};
const ORIGIN = 'http://127.0.0.1:3001';
const SIGNED_AT = '20240501T120000Z';
const NOW = new Date('2024-05-01T12:00:00Z');
const MINUTE = 60_000;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const JSON_BODY = JSON.stringify({ issueKey: 'ABC-123', note: 'café ✓' });

interface Aws4fetchSigning {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  aws?: { allHeaders?: boolean; signQuery?: boolean };
  client?: { region?: string; service?: string; sessionToken?: string };
}

/** What a server would see on the wire for a fetch Request: its headers plus Host (and Content-Length). */
async function toReceived(request: Request): Promise<ReceivedRequest> {
  const url = new URL(request.url);
  const body = new Uint8Array(await request.arrayBuffer());
  const headers: Array<[string, string]> = [['Host', url.host]];
  request.headers.forEach((value, name) => headers.push([name, value]));
  if (body.length > 0) headers.push(['Content-Length', String(body.length)]);
  return { method: request.method, rawPath: url.pathname + url.search, headers, body };
}

async function signWithAws4fetch(path: string, signing: Aws4fetchSigning = {}): Promise<ReceivedRequest> {
  const client = new AwsClient({
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    service: 'execute-api',
    region: 'local',
    retries: 0,
    ...signing.client,
  });
  const signed = await client.sign(ORIGIN + path, {
    method: signing.method ?? 'GET',
    headers: signing.headers ?? {},
    body: signing.body ?? null,
    aws: { datetime: SIGNED_AT, ...signing.aws },
  });
  return toReceived(signed);
}

/** A JSON POST as the panels send it: content-type and the identity header signed. */
function signJsonPost(path = '/v1/suggestions', extra: Aws4fetchSigning = {}): Promise<ReceivedRequest> {
  return signWithAws4fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Pm-Subject': 'jira:5b10ac8d82e05b22cc7d4ef5' },
    body: JSON_BODY,
    aws: { allHeaders: true },
    ...extra,
  });
}

function options(overrides: Partial<VerifyOptions> = {}): VerifyOptions {
  return {
    region: 'local',
    service: 'execute-api',
    now: NOW,
    lookupKey: async (accessKeyId) => (accessKeyId === ACCESS_KEY_ID ? IDENTITY : null),
    ...overrides,
  };
}

function withHeader(req: ReceivedRequest, name: string, value: string): ReceivedRequest {
  return { ...req, headers: [...withoutHeader(req, name).headers, [name, value]] };
}

function withoutHeader(req: ReceivedRequest, name: string): ReceivedRequest {
  return { ...req, headers: req.headers.filter(([headerName]) => headerName.toLowerCase() !== name.toLowerCase()) };
}

function authorizationOf(req: ReceivedRequest): string {
  const line = req.headers.find(([name]) => name.toLowerCase() === 'authorization');
  if (!line) throw new Error('request is not signed');
  return line[1];
}

function refusal(errorType: string, message: string | RegExp = /./): object {
  return { ok: false, status: 403, errorType, message: typeof message === 'string' ? message : expect.stringMatching(message) };
}

describe('verifySigV4 with aws4fetch-signed requests', () => {
  it('accepts a GET with a space and UTF-8 in the path and special characters in the query', async () => {
    const path = '/v1/issues/ABC-123/caf\u00e9 notes?issueKey=ABC-123&q=a b&x=\u00e9&sym=!\'()*&plus=1+2&enc=%2F%3D%26&empty=&flag';
    const req = await signWithAws4fetch(path);
    expect(req.rawPath).toBe(
      "/v1/issues/ABC-123/caf%C3%A9%20notes?issueKey=ABC-123&q=a%20b&x=%C3%A9&sym=!%27()*&plus=1+2&enc=%2F%3D%26&empty=&flag",
    );

    expect(await verifySigV4(req, options())).toEqual({
      ok: true,
      accessKeyId: ACCESS_KEY_ID,
      identity: IDENTITY,
      signedHeaders: ['host', 'x-amz-date'],
    });
  });

  it("needs pathEncoding 'double' for such a path: 'single' computes a different signature", async () => {
    const req = await signWithAws4fetch('/v1/issues/caf\u00e9 notes');
    expect(await verifySigV4(req, options({ pathEncoding: 'single' }))).toEqual(
      refusal('InvalidSignatureException', SIGNATURE_MISMATCH),
    );
  });

  it('accepts sub-delimiters a URL leaves unencoded in the path (it\'s(1)*!:@$)', async () => {
    const req = await signWithAws4fetch("/v1/items/it's(1)*!:@$,;=");
    expect(req.rawPath).toBe("/v1/items/it's(1)*!:@$,;=");
    expect(await verifySigV4(req, options())).toMatchObject({ ok: true });
  });

  it('accepts a JSON POST with content-type and a required identity header signed', async () => {
    const req = await signJsonPost();
    const result = await verifySigV4(req, options({ requiredSignedHeaders: ['x-pm-subject'] }));
    expect(result).toEqual({
      ok: true,
      accessKeyId: ACCESS_KEY_ID,
      identity: IDENTITY,
      signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-pm-subject'],
    });
  });

  it('passes a signed session token to lookupKey', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const req = await signWithAws4fetch('/v1/suggestions', { client: { sessionToken: SESSION_TOKEN } });
    const result = await verifySigV4(
      req,
      options({ lookupKey: async (accessKeyId, token) => (seen.push([accessKeyId, token]), IDENTITY) }),
    );
    expect(result).toMatchObject({ ok: true, signedHeaders: ['host', 'x-amz-date', 'x-amz-security-token'] });
    expect(seen).toEqual([[ACCESS_KEY_ID, SESSION_TOKEN]]);
  });

  it('accepts a correct x-amz-content-sha256 header', async () => {
    const req = await signJsonPost('/v1/suggestions', {
      headers: { 'Content-Type': 'application/json', 'X-Amz-Content-Sha256': await hexSha256(JSON_BODY) },
    });
    expect(await verifySigV4(req, options())).toMatchObject({ ok: true });
  });

  it('accepts a request exactly 5 minutes old or 5 minutes ahead', async () => {
    const req = await signWithAws4fetch('/v1/suggestions');
    expect(await verifySigV4(req, options({ now: new Date(NOW.getTime() + 5 * MINUTE) }))).toMatchObject({ ok: true });
    expect(await verifySigV4(req, options({ now: new Date(NOW.getTime() - 5 * MINUTE) }))).toMatchObject({ ok: true });
  });
});

describe('verifySigV4 with a Date header instead of x-amz-date', () => {
  // No client at hand signs with Date, so sign with this module's own steps (checked against the suite).
  const unsigned: ReceivedRequest = {
    method: 'GET',
    rawPath: '/v1/suggestions',
    headers: [['Host', '127.0.0.1:3001'], ['Date', NOW.toUTCString()]],
    body: new Uint8Array(),
  };

  async function signCovering(signedHeaders: string[]): Promise<ReceivedRequest> {
    const scope = credentialScope(SIGNED_AT.slice(0, 8), 'local', 'execute-api');
    const canonical = canonicalRequestFor(unsigned, signedHeaders, EMPTY_PAYLOAD_SHA256, 'double');
    const key = await signingKey(SECRET_ACCESS_KEY, SIGNED_AT.slice(0, 8), 'local', 'execute-api');
    const hex = await signature(key, await stringToSign(SIGNED_AT, scope, canonical));
    const authorization = `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${hex}`;
    return withHeader(unsigned, 'Authorization', authorization);
  }

  it('accepts an HTTP-date, signed in its basic-format rendering', async () => {
    expect(await verifySigV4(await signCovering(['date', 'host']), options())).toMatchObject({ ok: true });
  });

  it('then requires date itself to be signed', async () => {
    expect(await verifySigV4(await signCovering(['host']), options())).toEqual(
      refusal('IncompleteSignatureException', "'date' must be a 'SignedHeader' in the AWS Authorization."),
    );
  });
});

describe('verifySigV4 refuses', () => {
  it('a changed body', async () => {
    const req = await signJsonPost();
    const tampered = { ...req, body: new TextEncoder().encode(JSON_BODY.replace('ABC-123', 'ABC-124')) };
    expect(await verifySigV4(tampered, options())).toEqual(refusal('InvalidSignatureException', SIGNATURE_MISMATCH));
  });

  it('a changed path', async () => {
    const req = await signWithAws4fetch('/v1/suggestions/ABC-123');
    const tampered = { ...req, rawPath: '/v1/suggestions/ABC-124' };
    expect(await verifySigV4(tampered, options())).toEqual(refusal('InvalidSignatureException', SIGNATURE_MISMATCH));
  });

  it('a changed query', async () => {
    const req = await signWithAws4fetch('/v1/suggestions?issueKey=ABC-123');
    const tampered = { ...req, rawPath: '/v1/suggestions?issueKey=ABC-123&issueKey=XYZ-9' };
    expect(await verifySigV4(tampered, options())).toEqual(refusal('InvalidSignatureException', SIGNATURE_MISMATCH));
  });

  it('a changed signed header value', async () => {
    const req = await signJsonPost();
    const tampered = withHeader(req, 'X-Pm-Subject', 'jira:someone-else');
    expect(await verifySigV4(tampered, options())).toEqual(refusal('InvalidSignatureException', SIGNATURE_MISMATCH));
  });

  it('a changed signature', async () => {
    const req = await signWithAws4fetch('/v1/suggestions');
    const authorization = authorizationOf(req);
    const flipped = authorization.slice(0, -1) + (authorization.endsWith('0') ? '1' : '0');
    expect(await verifySigV4(withHeader(req, 'Authorization', flipped), options())).toEqual(
      refusal('InvalidSignatureException', SIGNATURE_MISMATCH),
    );
  });

  it('a body whose content-type is not signed (aws4fetch leaves content-type out unless allHeaders)', async () => {
    const req = await signJsonPost('/v1/suggestions', { aws: {} });
    expect(authorizationOf(req)).toContain('SignedHeaders=host;x-amz-date;x-pm-subject,');
    expect(await verifySigV4(req, options())).toEqual(
      refusal('IncompleteSignatureException', /'content-type' must be a 'SignedHeader'.*has a body/),
    );
  });

  it('a required identity header that is not signed', async () => {
    const req = withHeader(await signWithAws4fetch('/v1/suggestions'), 'X-Pm-Subject', 'jira:anyone');
    expect(await verifySigV4(req, options({ requiredSignedHeaders: ['x-pm-subject'] }))).toEqual(
      refusal('IncompleteSignatureException', /'x-pm-subject' must be a 'SignedHeader'/),
    );
  });

  it('a signed header that is missing from the request', async () => {
    const req = withoutHeader(await signJsonPost(), 'x-pm-subject');
    expect(await verifySigV4(req, options())).toEqual(
      refusal('InvalidSignatureException', "Header 'x-pm-subject' is listed in SignedHeaders but is not present in the request."),
    );
  });

  it('an unknown access key', async () => {
    const req = await signWithAws4fetch('/v1/suggestions');
    expect(await verifySigV4(req, options({ lookupKey: async () => null }))).toEqual(
      refusal('UnrecognizedClientException', 'The security token included in the request is invalid.'),
    );
  });

  it('a credential scoped to another region', async () => {
    const req = await signWithAws4fetch('/v1/suggestions', { client: { region: 'us-east-1' } });
    expect(await verifySigV4(req, options())).toEqual(
      refusal('InvalidSignatureException', "Credential should be scoped to a valid region, not 'us-east-1'. "),
    );
  });

  it('a credential scoped to another service', async () => {
    const req = await signWithAws4fetch('/v1/suggestions', { client: { service: 'lambda' } });
    expect(await verifySigV4(req, options())).toEqual(
      refusal('InvalidSignatureException', "Credential should be scoped to correct service: 'execute-api'. "),
    );
  });

  it('a credential date that differs from x-amz-date', async () => {
    const req = withHeader(await signWithAws4fetch('/v1/suggestions'), 'X-Amz-Date', '20240502T120000Z');
    expect(await verifySigV4(req, options())).toEqual(
      refusal('InvalidSignatureException', /^Date in Credential scope does not match .*'20240501' != '20240502'/),
    );
  });

  it('a request signed 6 minutes ago', async () => {
    const req = await signWithAws4fetch('/v1/suggestions');
    expect(await verifySigV4(req, options({ now: new Date(NOW.getTime() + 6 * MINUTE) }))).toEqual(
      refusal(
        'InvalidSignatureException',
        'Signature expired: 20240501T120000Z is now earlier than 20240501T120100Z (20240501T120600Z - 5 min.)',
      ),
    );
  });

  it('a request signed 6 minutes in the future', async () => {
    const req = await signWithAws4fetch('/v1/suggestions');
    expect(await verifySigV4(req, options({ now: new Date(NOW.getTime() - 6 * MINUTE) }))).toEqual(
      refusal(
        'InvalidSignatureException',
        'Signature not yet current: 20240501T120000Z is still later than 20240501T115900Z (20240501T115400Z + 5 min.)',
      ),
    );
  });

  it('an x-amz-content-sha256 that is not the hash of the body', async () => {
    const req = await signJsonPost('/v1/suggestions', {
      headers: { 'Content-Type': 'application/json', 'X-Amz-Content-Sha256': await hexSha256('something else') },
    });
    expect(await verifySigV4(req, options())).toEqual(
      refusal('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed."),
    );
  });

  it('a request without Authorization', async () => {
    const req = withoutHeader(await signWithAws4fetch('/v1/suggestions'), 'authorization');
    expect(await verifySigV4(req, options())).toEqual(refusal('IncompleteSignatureException', /Missing 'Authorization' header/));
  });

  it('a presigned URL (query-string auth), saying it is not supported', async () => {
    const req = await signWithAws4fetch('/v1/suggestions', { aws: { signQuery: true } });
    expect(req.rawPath).toContain('X-Amz-Signature=');
    expect(await verifySigV4(req, options())).toEqual(refusal('IncompleteSignatureException', /^Presigned .* not supported/));
  });

  it.each([
    ['another scheme', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x', /^Unsupported Authorization type/],
    ['a parameter without "="', 'AWS4-HMAC-SHA256 garbage', /^Invalid key=value pair \(missing equal-sign\)/],
    ['a bare scheme', 'AWS4-HMAC-SHA256', /'Credential' parameter\. .*'Signature' parameter\. .*'SignedHeaders' parameter\.$/],
    [
      'a credential with 4 parts',
      `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/20240501/local/execute-api, SignedHeaders=host;x-amz-date, Signature=00`,
      /^Credential must have exactly 5 slash-delimited elements/,
    ],
  ])('a garbage Authorization header: %s', async (_label, authorization, message) => {
    const req = withHeader(await signWithAws4fetch('/v1/suggestions'), 'Authorization', authorization);
    expect(await verifySigV4(req, options())).toEqual(refusal('IncompleteSignatureException', message));
  });

  it('an Authorization header missing its Signature, naming it', async () => {
    const req = await signWithAws4fetch('/v1/suggestions');
    const withoutSignature = authorizationOf(req).replace(/, Signature=[0-9a-f]+$/, '');
    expect(await verifySigV4(withHeader(req, 'Authorization', withoutSignature), options())).toEqual(
      refusal('IncompleteSignatureException', "Authorization header requires 'Signature' parameter."),
    );
  });

  it('a request without x-amz-date or date', async () => {
    const req = withoutHeader(await signWithAws4fetch('/v1/suggestions'), 'x-amz-date');
    expect(await verifySigV4(req, options())).toEqual(
      refusal('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."),
    );
  });

  it('an x-amz-date that is not ISO 8601 basic format', async () => {
    const req = withHeader(await signWithAws4fetch('/v1/suggestions'), 'X-Amz-Date', '2024-05-01T12:00:00Z');
    expect(await verifySigV4(req, options())).toEqual(refusal('IncompleteSignatureException', /^Date must be in ISO-8601 'basic format'/));
  });

  it('an x-amz-security-token that is present but not signed', async () => {
    const req = withHeader(await signWithAws4fetch('/v1/suggestions'), 'X-Amz-Security-Token', SESSION_TOKEN);
    expect(await verifySigV4(req, options())).toEqual(
      refusal('IncompleteSignatureException', /'x-amz-security-token' must be a 'SignedHeader'/),
    );
  });
});

describe('verifySigV4 with @smithy/signature-v4 (the AWS SDK signer)', () => {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY, sessionToken: SESSION_TOKEN },
    region: 'local',
    service: 'execute-api',
    sha256: Sha256,
  });

  /** RFC 3986 query encoding, how an SDK puts query parameters on the wire. */
  const encodeQueryPart = (text: string): string =>
    encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

  function wireQuery(query: Record<string, string | string[] | null>): string {
    return Object.entries(query)
      .flatMap(([name, value]) => (value === null ? [] : [value].flat()).map((v) => `${encodeQueryPart(name)}=${encodeQueryPart(v)}`))
      .join('&');
  }

  it('signs a POST (session token, x-amz-content-sha256, encoded path, array query) that verifies', async () => {
    const seenTokens: Array<string | undefined> = [];
    const query = { issueKey: 'ABC-123', tag: ['b c', 'a+b', 'é'], empty: '' };
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 3001,
        // already the wire form: labels percent-encoded by the SDK, sub-delimiters left as they are
        path: "/v1/issues/caf%C3%A9%20notes/it's(1)",
        query,
        headers: { host: '127.0.0.1:3001', 'content-type': 'application/json', 'x-pm-subject': 'jira:5b10ac8d82e05b22cc7d4ef5' },
        body: JSON_BODY,
      },
      { signingDate: NOW },
    );
    const req: ReceivedRequest = {
      method: signed.method,
      rawPath: `${signed.path}?${wireQuery(signed.query ?? {})}`,
      headers: Object.entries(signed.headers),
      body: new TextEncoder().encode(JSON_BODY),
    };

    const result = await verifySigV4(
      req,
      options({
        requiredSignedHeaders: ['x-pm-subject'],
        lookupKey: async (accessKeyId, token) => (seenTokens.push(token), accessKeyId === ACCESS_KEY_ID ? IDENTITY : null),
      }),
    );
    expect(result).toEqual({
      ok: true,
      accessKeyId: ACCESS_KEY_ID,
      identity: IDENTITY,
      signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-pm-subject'],
    });
    expect(seenTokens).toEqual([SESSION_TOKEN]);

    const tampered = { ...req, body: new TextEncoder().encode(JSON_BODY + ' ') };
    expect(await verifySigV4(tampered, options())).toEqual(
      refusal('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed."),
    );
  });
});
