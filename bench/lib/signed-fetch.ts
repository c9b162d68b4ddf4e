import { AwsV4Signer } from 'aws4fetch';
import { IDENTITY_HEADERS } from '@pm-agent/shared';

export interface SigningKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SignedFetchOptions {
  /** e.g. http://127.0.0.1:8787 (no trailing slash needed). */
  baseUrl: string;
  region: string;
  service: string;
  keys: SigningKeys;
  /** Sent (and signed) with every request, e.g. the forge identity headers. Lower-case names. */
  headers?: Record<string, string>;
  /**
   * aws4fetch's signing-key cache. Default: none, i.e. a fresh key derivation per request, which is
   * what backend-client's signRequest does (a new AwsV4Signer without a cache for each attempt).
   */
  cache?: Map<string, ArrayBuffer>;
}

export interface SignedRequest {
  method?: 'GET' | 'POST' | 'PUT';
  /** Path and query, e.g. /v1/suggestions?issueKey=ABC-123 */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export type SignedFetch = (req: SignedRequest) => Promise<Response>;

/**
 * fetch with every request freshly SigV4-signed the way backend-client signs: aws4fetch's
 * AwsV4Signer with allHeaders (content-type and identity headers signed too), a new x-amz-date each
 * time. Signing happens inside the returned call, so timing the call includes it.
 */
export function createSignedFetch(opts: SignedFetchOptions): SignedFetch {
  const base = opts.baseUrl.replace(/\/+$/, '');
  return async (req) => {
    const signed = await new AwsV4Signer({
      method: req.method ?? 'GET',
      url: base + req.path,
      headers: { ...opts.headers, ...req.headers },
      body: req.body,
      accessKeyId: opts.keys.accessKeyId,
      secretAccessKey: opts.keys.secretAccessKey,
      sessionToken: opts.keys.sessionToken,
      region: opts.region,
      service: opts.service,
      cache: opts.cache,
      allHeaders: true,
    }).sign();
    return fetch(signed.url, { method: signed.method, headers: signed.headers, body: req.body });
  };
}

/** The signed identity headers a forge call carries for the person using the panel. */
export function forgeIdentity(user: { accountId: string; site: string }, role?: 'admin'): Record<string, string> {
  const headers: Record<string, string> = { [IDENTITY_HEADERS.accountId]: user.accountId, [IDENTITY_HEADERS.site]: user.site };
  if (role) headers[IDENTITY_HEADERS.role] = role;
  return headers;
}
