import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * The local development identity provider: a stand-in for Entra ID that issues RS256 JWT access
 * tokens for any {sub, name, email} asked of it. Local mode only; it proves nothing about anyone.
 * The local STS verifies its tokens the way AWS STS verifies an OIDC provider's.
 */
export const DevTokenRequestSchema = z.strictObject({
  sub: z.string().regex(/^[A-Za-z0-9._@+-]{1,128}$/, 'must be 1–128 letters, digits or ._@+-'),
  name: z.string().min(1).max(128),
  email: z.email('must be an email address').max(254),
});
export type DevTokenRequest = z.infer<typeof DevTokenRequestSchema>;

const ClaimsSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string(),
  name: z.string(),
  email: z.string(),
  iat: z.number(),
  exp: z.number(),
});
export type DevTokenClaims = z.infer<typeof ClaimsSchema>;

export class DevIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(
    privateKeyPem: string,
    readonly issuer: string,
    readonly audience: string,
    private readonly lifetimeSeconds = 3600,
  ) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
  }

  issue(who: DevTokenRequest, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const header = b64url({ alg: 'RS256', typ: 'JWT', kid: 'local-dev' });
    const payload = b64url({ iss: this.issuer, aud: this.audience, ...who, iat, exp: iat + this.lifetimeSeconds });
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  /** The token's claims, or an error saying exactly why it is not acceptable. */
  verify(token: string, now: Date): { ok: true; claims: DevTokenClaims } | { ok: false; reason: string } {
    const [header, payload, signature, extra] = token.split('.');
    if (!header || !payload || !signature || extra !== undefined) return { ok: false, reason: 'the token is not a JWT' };
    if (!verify('sha256', Buffer.from(`${header}.${payload}`), this.publicKey, Buffer.from(signature, 'base64url'))) {
      return { ok: false, reason: 'the token signature is not valid for this issuer' };
    }
    const claims = ClaimsSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString('utf8')));
    if (!claims.success) return { ok: false, reason: 'the token claims are incomplete' };
    if (claims.data.iss !== this.issuer) return { ok: false, reason: 'the token was issued by another issuer' };
    if (claims.data.aud !== this.audience) return { ok: false, reason: 'the token is for another audience' };
    if (claims.data.exp * 1000 <= now.getTime()) return { ok: false, reason: 'the token has expired' };
    return { ok: true, claims: claims.data };
  }
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
