/** SigV4 request verification: the server side of AWS Signature Version 4 header auth. */
export { verifySigV4 } from './verify';
export type { ReceivedRequest, SigningIdentity, VerifyOptions, VerifyResult } from './verify';
export {
  ALGORITHM,
  SCOPE_TERMINATOR,
  EMPTY_PAYLOAD_SHA256,
  uriEncode,
  percentDecode,
  splitRawPath,
  normalizePath,
  canonicalUri,
  canonicalQueryString,
  canonicalHeaderValue,
  headerValuesByName,
  canonicalHeaders,
  signedHeadersString,
  hashedPayload,
  canonicalRequest,
  canonicalRequestFor,
  credentialScope,
  stringToSign,
  signingKey,
  signature,
  hexSha256,
} from './canonical-request';
export type { PathEncoding, HeaderLine, RequestParts, CanonicalRequestParts } from './canonical-request';
