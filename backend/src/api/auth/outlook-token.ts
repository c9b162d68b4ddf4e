import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';

/**
 * Verifies the Outlook user's token (Entra ID on AWS, the dev issuer locally) with jose: RS256
 * signature against the issuer's published keys, issuer, audience, expiry. The person behind an
 * Outlook call is what this token says, never the STS session name the client picked.
 */
export interface OutlookTokenConfig {
  issuer: string;
  audience: string;
  /** The claim that holds the user's email (approvers are emails). Entra ID: configure the `email` optional claim, or use `upn`. */
  emailClaim?: string;
}

export interface OutlookPerson {
  sub: string;
  email: string;
  name: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export type TokenCheck = { ok: true; person: OutlookPerson } | { ok: false; reason: string };

export interface OutlookTokenVerifier {
  verify(token: string, now: Date): Promise<TokenCheck>;
}

/** Token lifetime checks allow this much clock difference between issuer and backend. */
const CLOCK_TOLERANCE_SECONDS = 60;
const Email = z.email().max(254);

export function outlookTokenVerifier(config: OutlookTokenConfig, keys: JWTVerifyGetKey): OutlookTokenVerifier {
  const emailClaim = config.emailClaim ?? 'email';
  return {
    async verify(token, now) {
      let payload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: ['RS256'],
          requiredClaims: ['sub', 'exp'],
          currentDate: now,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
      } catch (e) {
        return { ok: false, reason: reasonFor(e) };
      }
      const email = Email.safeParse(payload[emailClaim]);
      if (!email.success) return { ok: false, reason: `the token has no email address in its ${emailClaim} claim` };
      const name = typeof payload.name === 'string' && payload.name ? payload.name : email.data;
      return { ok: true, person: { sub: payload.sub!, email: email.data.toLowerCase(), name, exp: payload.exp! } };
    },
  };
}

/** Why jose refused, in words for the caller; never the token. */
function reasonFor(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'the token has expired';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return 'the token is for another audience';
    if (e.claim === 'iss') return 'the token was issued by another issuer';
    if (e.claim === 'nbf') return 'the token is not valid yet';
    return `the token's ${e.claim} claim is not acceptable`;
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid for this issuer';
  if (e instanceof errors.JWKSNoMatchingKey) return "the token was not signed with any of the issuer's current keys";
  if (e instanceof errors.JWKSTimeout || e instanceof errors.JOSEError && e.code === 'ERR_JWKS_INVALID') return "the issuer's keys could not be fetched; try again shortly";
  if (e instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with RS256';
  if (e instanceof errors.JOSEError) return 'the token is not a valid signed JWT';
  return "the issuer's keys could not be fetched; try again shortly";
}

/** On AWS: the tenant's published keys, fetched with a bounded timeout and cached. */
export function remoteKeys(jwksUri: string, opts: { timeoutMs?: number } = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: opts.timeoutMs ?? 3_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
}

/** Locally: the dev issuer's key set, handed over in process. */
export function localKeys(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/** The configuration the Lambda reads from PM_AGENT_OUTLOOK_OIDC (no secret in it: issuer, audience, key URL). */
export const OutlookOidcEnvSchema = z.strictObject({
  issuer: z.url(),
  audience: z.string().min(1),
  jwksUri: z.url(),
  emailClaim: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(10_000).optional(),
});
