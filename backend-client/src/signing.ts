import { AwsV4Signer } from 'aws4fetch';
import type { Credentials } from './credentials/types';

export interface SignInput {
  method: string;
  url: URL;
  /** Lower-case names. Every one of them is signed, as are host, x-amz-date and x-amz-security-token. */
  headers: Record<string, string>;
  body?: string | undefined;
  credentials: Credentials;
  region: string;
  service: string;
}

/**
 * SigV4 headers for one attempt (a new x-amz-date each time). We use aws4fetch's signer, not its
 * AwsClient: AwsClient.fetch retries on its own (10 times by default) and builds a Request object
 * that fetch-alikes may not accept. Without `allHeaders`, aws4fetch leaves content-type unsigned;
 * we want every header we set signed, so the backend can trust all of them.
 * For non-S3 services aws4fetch double-encodes the path, as SigV4 (and API Gateway) expect.
 */
export async function signRequest(input: SignInput): Promise<Record<string, string>> {
  const signer = new AwsV4Signer({
    method: input.method,
    url: input.url.toString(),
    headers: input.headers,
    body: input.body,
    accessKeyId: input.credentials.accessKeyId,
    secretAccessKey: input.credentials.secretAccessKey,
    sessionToken: input.credentials.sessionToken,
    region: input.region,
    service: input.service,
    allHeaders: true,
  });
  const signed = await signer.sign();
  const out: Record<string, string> = {};
  signed.headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}
