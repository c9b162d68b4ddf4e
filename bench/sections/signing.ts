import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest, SourceData } from '@smithy/types';
import { AwsV4Signer } from 'aws4fetch';
import { IDEMPOTENCY_HEADER, IDENTITY_HEADERS } from '@pm-agent/shared';
import { microbench, type MicroResult } from '../lib/micro';
import { round } from '../lib/stats';
import type { BenchContext, SectionResult } from '../lib/section';

/**
 * The client's per-request SigV4 signing cost: aws4fetch (what backend-client uses) next to
 * @smithy/signature-v4 (what the AWS SDK uses), signing the same request in the same process.
 * No network: signing only.
 */
export const name = 'signing';

const REGION = 'local';
const SERVICE = 'execute-api';
const HOST = '127.0.0.1:8787';
const PATH = '/v1/suggestions/sug_01JD8W3V7Q2M5K9X4T6R8B1C3E/approve';
// Made-up keys of the right shape; signing cost does not depend on which keys.
const CREDENTIALS = { accessKeyId: ['AKIA', 'IOSFODNN7EXAMPLE'].join('') /* AWS's documented example key */, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** A realistic forge call: an approval as JSON, with the identity and idempotency headers. */
const BODY = JSON.stringify({ payloadHash: 'a3f1c2d4e5b6978812a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809' });
const HEADERS: Record<string, string> = {
  'content-type': 'application/json',
  [IDENTITY_HEADERS.accountId]: '712020:0e5f3a1c-local-pat-morgan',
  [IDENTITY_HEADERS.site]: 'local.atlassian.net',
  [IDEMPOTENCY_HEADER]: '6f1c1a8e-3b9d-4a57-9a0e-2f4c8d7b5e10',
};

/**
 * SHA-256 / HMAC-SHA256 on node:crypto, for smithy's `sha256` option (smithy's HashConstructor /
 * ChecksumConstructor: `new (secret?) => { update(data), digest(): Promise<Uint8Array>, reset() }`).
 * Equivalent to @smithy/hash-node's Hash, which the AWS SDK uses on Node; @aws-crypto/sha256-js is
 * pure JavaScript, so measuring smithy only with it would compare signers with different hashes.
 */
export class NodeSha256 {
  private readonly secret: Buffer | undefined;
  private hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }

  update(data: SourceData, encoding?: 'utf8' | 'ascii' | 'latin1'): void {
    this.hash.update(toBuffer(data, encoding));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret ? createHmac('sha256', this.secret) : createHash('sha256');
  }
}

function toBuffer(data: SourceData, encoding: BufferEncoding = 'utf8'): Buffer {
  if (typeof data === 'string') return Buffer.from(data, encoding);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function aws4fetchSign(opts: { cache?: Map<string, ArrayBuffer>; datetime?: string } = {}) {
  // The options backend-client's signRequest passes (plus, optionally, a shared cache or a fixed date).
  return new AwsV4Signer({
    method: 'POST',
    url: `http://${HOST}${PATH}`,
    headers: HEADERS,
    body: BODY,
    ...CREDENTIALS,
    region: REGION,
    service: SERVICE,
    cache: opts.cache,
    datetime: opts.datetime,
    allHeaders: true,
  }).sign();
}

function smithyRequest(): HttpRequest {
  const [hostname, port] = HOST.split(':');
  return { method: 'POST', protocol: 'http:', hostname: hostname!, port: Number(port), path: PATH, query: {}, headers: { host: HOST, ...HEADERS }, body: BODY };
}

function smithySigner(sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256'], applyChecksum?: boolean): SignatureV4 {
  return new SignatureV4({ credentials: CREDENTIALS, region: REGION, service: SERVICE, sha256, uriEscapePath: true, applyChecksum });
}

function signatureOf(authorization: string | null | undefined): string {
  const m = /Signature=([0-9a-f]{64})/.exec(authorization ?? '');
  if (!m) throw new Error(`no signature in Authorization header: ${String(authorization)}`);
  return m[1]!;
}

/**
 * The request is the same for both: smithy with applyChecksum off (it otherwise adds and signs an
 * x-amz-content-sha256 header, which aws4fetch leaves out for execute-api) gives the same
 * signature as aws4fetch for the same date, so both compute the same thing.
 */
async function crossCheck(): Promise<Record<string, unknown>> {
  const date = new Date();
  const datetime = date.toISOString().replace(/[:-]|\.\d{3}/g, '');
  const a = await aws4fetchSign({ datetime });
  const reference = signatureOf(a.headers.get('authorization'));
  const check = async (sha256: ConstructorParameters<typeof SignatureV4>[0]['sha256']) =>
    signatureOf((await smithySigner(sha256, false).sign(smithyRequest(), { signingDate: date })).headers.authorization) === reference;
  const result = {
    signed_headers: /SignedHeaders=([^,]+)/.exec(a.headers.get('authorization') ?? '')?.[1] ?? null,
    smithy_sha256_js_matches_aws4fetch: await check(Sha256),
    smithy_node_crypto_matches_aws4fetch: await check(NodeSha256),
  };
  if (!result.smithy_sha256_js_matches_aws4fetch || !result.smithy_node_crypto_matches_aws4fetch) {
    throw new Error(`the signers disagree on the same request (${JSON.stringify(result)}): the comparison would be meaningless`);
  }
  return result;
}

export async function run(ctx: BenchContext): Promise<SectionResult> {
  const cross_check = await crossCheck();
  const opts = ctx.quick ? { warmup: 200, iterations: 1000, rounds: 2 } : { warmup: 1000, iterations: 5000, rounds: 5 };
  ctx.log(`signing: ${opts.iterations} signatures per signer after ${opts.warmup} warm-up, in ${opts.rounds} interleaved rounds`);

  const sharedCache = new Map<string, ArrayBuffer>();
  const smithyJs = smithySigner(Sha256);
  const smithyNode = smithySigner(NodeSha256);
  const results = await microbench(
    [
      { name: 'aws4fetch', op: () => aws4fetchSign() },
      { name: 'aws4fetch_cached_key', op: () => aws4fetchSign({ cache: sharedCache }) },
      { name: 'smithy_sha256_js', op: () => smithyJs.sign(smithyRequest()) },
      { name: 'smithy_node_crypto', op: () => smithyNode.sign(smithyRequest()) },
    ],
    opts,
  );
  const ratio = (a: MicroResult | undefined, b: MicroResult | undefined) => (a && b ? round(a.us_per_op.mean / b.us_per_op.mean, 2) : null);
  const r = (k: string) => results[k];

  return {
    notes: [
      'aws4fetch uses WebCrypto: on Node each crypto.subtle call (importKey, sign, digest) is an async job on the libuv threadpool; an uncached signature takes 5 HMACs (each with an importKey) and 2 digests, a cached one 1 HMAC and 2 digests.',
      '@aws-crypto/sha256-js is pure JavaScript; smithy_node_crypto is the like-for-like comparison with node:crypto hashing.',
    ],
    request: { method: 'POST', url: `http://${HOST}${PATH}`, body_bytes: Buffer.byteLength(BODY), headers: Object.keys(HEADERS), region: REGION, service: SERVICE },
    cross_check,
    ...opts,
    signers: {
      aws4fetch: {
        ...r('aws4fetch'),
        how: 'new AwsV4Signer({ …, allHeaders: true }).sign() per request, no key cache: exactly what backend-client signRequest does. WebCrypto (crypto.subtle), async per HMAC/hash.',
      },
      aws4fetch_cached_key: {
        ...r('aws4fetch_cached_key'),
        how: 'the same with a shared signing-key cache, as AwsClient.sign passes one: skips the 4 key-derivation HMACs.',
      },
      smithy_sha256_js: {
        ...r('smithy_sha256_js'),
        how: 'one SignatureV4({ sha256: Sha256 from @aws-crypto/sha256-js, uriEscapePath: true }) reused; pure-JS SHA-256; caches its signing key; adds and signs x-amz-content-sha256 (applyChecksum default).',
      },
      smithy_node_crypto: {
        ...r('smithy_node_crypto'),
        how: 'the same signer with a node:crypto createHash/createHmac hash constructor (like @smithy/hash-node).',
      },
    },
    /** Mean µs/op of aws4fetch over smithy's: above 1 means aws4fetch is slower. */
    ratios: {
      aws4fetch_over_smithy_sha256_js: ratio(r('aws4fetch'), r('smithy_sha256_js')),
      aws4fetch_over_smithy_node_crypto: ratio(r('aws4fetch'), r('smithy_node_crypto')),
      aws4fetch_cached_key_over_smithy_node_crypto: ratio(r('aws4fetch_cached_key'), r('smithy_node_crypto')),
      note: 'mean µs/op of the first over the second; > 1 means the first is slower',
    },
  };
}

export function summary(result: SectionResult): string[] {
  const signers = result.signers as Record<string, MicroResult>;
  const lines = Object.entries(signers).map(
    ([k, v]) => `  ${k.padEnd(22)} ${String(v.ops_per_s).padStart(8)} ops/s   mean ${v.us_per_op.mean} µs   p50 ${v.us_per_op.p50} µs   p99 ${v.us_per_op.p99} µs`,
  );
  const ratios = result.ratios as Record<string, number | null>;
  lines.push(
    `  aws4fetch / smithy: ${ratios.aws4fetch_over_smithy_sha256_js}× (sha256-js), ${ratios.aws4fetch_over_smithy_node_crypto}× (node:crypto); ` +
      `with cached key vs node:crypto: ${ratios.aws4fetch_cached_key_over_smithy_node_crypto}×`,
  );
  return lines;
}
