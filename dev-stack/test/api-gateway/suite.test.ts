/**
 * The official AWS SigV4 test suite (fixtures/sigv4-suite, see SOURCE.md there): for every case our
 * canonical request and string to sign must equal the suite's byte for byte, and the verifier must
 * accept the signed request. The suite encodes paths once, so everything here uses pathEncoding 'single'.
 *
 * Suite quirks this relies on (SOURCE.md and the readme files):
 * - get-utf8 and normalize-path/get-space expect the path encoded once (/%E1%88%B4, /example%20space/).
 *   Their .req targets are raw UTF-8 and a raw space, which no HTTP client puts on the wire; 'single'
 *   decodes and encodes once, as the .creq files expect. ('double', the rule for real non-S3
 *   services, is covered in verify.test.ts with aws4fetch and @smithy/signature-v4.)
 * - get-header-value-multiline folds a header over three lines; the .creq joins the lines with ','.
 * - get-header-key-duplicate / get-header-value-order repeat a header; values join with ',' in order.
 * - post-sts-token/post-sts-header-after adds X-Amz-Security-Token after signing. Our verifier
 *   requires a present token to be signed, so that .sreq must be refused (asserted below).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import {
  canonicalRequestFor,
  credentialScope,
  hashedPayload,
  signature,
  signingKey,
  stringToSign,
  verifySigV4,
  type ReceivedRequest,
  type SigningIdentity,
  type VerifyOptions,
} from '../../src/api-gateway/sigv4';

const SUITE_DIR = join(__dirname, '..', 'fixtures', 'sigv4-suite');
const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const REGION = 'us-east-1';
const SERVICE = 'service';
const NOW = new Date('2015-08-30T12:36:00Z');
/** Signed without the token, token added afterwards: refused by our "a present token must be signed" rule. */
const TOKEN_ADDED_AFTER_SIGNING = 'post-sts-token/post-sts-header-after';

interface SuiteCase {
  /** path relative to the suite, e.g. "normalize-path/get-space" */
  name: string;
  read(extension: 'req' | 'creq' | 'sts' | 'authz' | 'sreq'): string;
}

/** A case is a directory holding <dir>/<dir>.req; groups (normalize-path, post-sts-token) nest them. */
function findCases(dir: string): SuiteCase[] {
  if (!existsSync(dir)) return [];
  const here = join(dir, `${basename(dir)}.req`);
  const self: SuiteCase[] = existsSync(here)
    ? [
        {
          name: relative(SUITE_DIR, dir),
          read: (extension) => readFileSync(join(dir, `${basename(dir)}.${extension}`), 'utf8'),
        },
      ]
    : [];
  const nested = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => findCases(join(dir, entry.name)));
  return [...self, ...nested].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Parses a raw HTTP/1.1 request as the suite writes it: request line (the target may contain a
 * space, as in get-space), header lines, obs-fold continuation lines starting with whitespace
 * (kept with their line break, as a raw parser would see them), blank line, body.
 */
function parseRawRequest(text: string): ReceivedRequest {
  const blankLine = /\r?\n\r?\n/.exec(text);
  const head = blankLine ? text.slice(0, blankLine.index) : text;
  const body = blankLine ? text.slice(blankLine.index + blankLine[0].length) : '';
  const [requestLine = '', ...headerLines] = head.split(/\r?\n/);
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const rawPath = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' '));

  const headers: Array<[string, string]> = [];
  for (const line of headerLines) {
    const previous = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && previous) {
      previous[1] += '\n' + line;
    } else {
      const colon = line.indexOf(':');
      headers.push([line.slice(0, colon), line.slice(colon + 1)]);
    }
  }
  return { method, rawPath, headers, body: new TextEncoder().encode(body) };
}

function authzParam(authz: string, name: 'SignedHeaders' | 'Signature'): string {
  const match = new RegExp(`${name}=([^,\\s]+)`).exec(authz);
  if (!match?.[1]) throw new Error(`.authz has no ${name}: ${authz}`);
  return match[1];
}

function headerValue(req: ReceivedRequest, name: string): string {
  const line = req.headers.find(([headerName]) => headerName.toLowerCase() === name);
  if (!line) throw new Error(`request has no ${name} header`);
  return line[1].trim();
}

function suiteOptions(seenTokens: Array<string | undefined> = []): VerifyOptions {
  const identity: SigningIdentity = { secretAccessKey: SECRET_ACCESS_KEY, principal: 'suite' };
  return {
    region: REGION,
    service: SERVICE,
    now: NOW,
    pathEncoding: 'single',
    lookupKey: async (accessKeyId, sessionToken) => {
      seenTokens.push(sessionToken);
      return accessKeyId === ACCESS_KEY_ID ? identity : null;
    },
  };
}

const cases = findCases(SUITE_DIR);

describe('AWS SigV4 test suite', () => {
  it('has all 31 cases (22 top level, 7 normalize-path, 2 post-sts-token)', () => {
    expect(cases).toHaveLength(31);
    expect(cases.filter((c) => !c.name.includes('/'))).toHaveLength(22);
    expect(cases.filter((c) => c.name.startsWith('normalize-path/'))).toHaveLength(7);
    expect(cases.filter((c) => c.name.startsWith('post-sts-token/'))).toHaveLength(2);
  });

  describe.each(cases)('$name', (suiteCase) => {
    const request = parseRawRequest(suiteCase.read('req'));
    const authz = suiteCase.read('authz');
    const signedHeaders = authzParam(authz, 'SignedHeaders').split(';');
    const amzDate = headerValue(request, 'x-amz-date');
    const scope = credentialScope(amzDate.slice(0, 8), REGION, SERVICE);

    it('builds the .creq byte for byte', async () => {
      const canonical = canonicalRequestFor(request, signedHeaders, await hashedPayload(request.body), 'single');
      expect(canonical).toBe(suiteCase.read('creq'));
    });

    it('builds the .sts and the .authz signature', async () => {
      const toSign = await stringToSign(amzDate, scope, suiteCase.read('creq'));
      expect(toSign).toBe(suiteCase.read('sts'));
      const key = await signingKey(SECRET_ACCESS_KEY, amzDate.slice(0, 8), REGION, SERVICE);
      expect(await signature(key, toSign)).toBe(authzParam(authz, 'Signature'));
    });

    if (suiteCase.name === TOKEN_ADDED_AFTER_SIGNING) {
      it('refuses the .sreq: x-amz-security-token is present but was not signed (stricter than AWS)', async () => {
        const result = await verifySigV4(parseRawRequest(suiteCase.read('sreq')), suiteOptions());
        expect(result).toMatchObject({ ok: false, status: 403, errorType: 'IncompleteSignatureException' });
        expect(!result.ok && result.message).toContain("'x-amz-security-token' must be a 'SignedHeader'");
      });

      it('accepts the same .sreq once the unsigned token is removed (the signature itself is good)', async () => {
        const signed = parseRawRequest(suiteCase.read('sreq'));
        signed.headers = signed.headers.filter(([name]) => name.toLowerCase() !== 'x-amz-security-token');
        expect(await verifySigV4(signed, suiteOptions())).toMatchObject({ ok: true, accessKeyId: ACCESS_KEY_ID });
      });
    } else {
      it('verifies the .sreq', async () => {
        const signedRequest = parseRawRequest(suiteCase.read('sreq'));
        const seenTokens: Array<string | undefined> = [];
        const result = await verifySigV4(signedRequest, suiteOptions(seenTokens));
        expect(result).toEqual({
          ok: true,
          accessKeyId: ACCESS_KEY_ID,
          identity: { secretAccessKey: SECRET_ACCESS_KEY, principal: 'suite' },
          signedHeaders,
        });
        const token = signedRequest.headers.find(([name]) => name.toLowerCase() === 'x-amz-security-token');
        expect(seenTokens).toEqual([token?.[1]]);
      });
    }
  });
});
