import type { Principal } from '@pm-agent/shared';
import type { Caller } from '../../domain/caller';

/** What the HTTP layer received, byte for byte, for the signature check. */
export interface Received {
  method: string;
  /** Path and query as they arrived on the wire, still percent-encoded. */
  rawPath: string;
  headers: Array<[string, string]>;
  body: Uint8Array;
  /** Set only by the Lambda adapter: the caller API Gateway already authenticated with IAM. */
  gatewayIdentity?: { userArn: string };
}

export type GatewayErrorType =
  | 'InvalidSignatureException'
  | 'IncompleteSignatureException'
  | 'UnrecognizedClientException'
  | 'AccessDeniedException';

export type AuthResult = { ok: true; caller: Caller } | { ok: false; errorType: GatewayErrorType; message: string };
export type AuthRefusal = Extract<AuthResult, { ok: false }>;

/**
 * What a verified signature proves, before any identity header is read: which principal's key
 * signed, which headers the signature covers, and for temporary credentials the session.
 */
export interface SignatureProof {
  principal: Principal;
  /** Lower-case names from the Authorization header's SignedHeaders. */
  signedHeaders: readonly string[];
  /** Temporary credentials only: the STS session name, and (locally) the subject STS saw in the token. */
  session?: { name: string; subject?: string };
}

/**
 * Establishes the caller. Locally: the SigV4 verifier. On AWS: API Gateway has already verified
 * the signature with IAM, and the Lambda reads the caller from the request context. Both then hand
 * the proof to `identify`, which reads the identity headers the same way in both modes.
 */
export interface Authenticator {
  authenticate(received: Received): Promise<AuthResult>;
}
