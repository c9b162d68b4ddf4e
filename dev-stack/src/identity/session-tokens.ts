import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Temporary credentials as the local STS issues them, without storing anything: the session token
 * carries its claims and an HMAC over them, and the secret key is derived from the access key id.
 * A server restart keeps every unexpired session valid, and nothing but the seal key is secret.
 */
export interface SessionClaims {
  accessKeyId: string;
  sub: string;
  email: string;
  name: string;
  role: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export class SessionSealer {
  constructor(private readonly sealKey: Buffer) {
    if (sealKey.length < 32) throw new Error('the session seal key must be at least 32 bytes');
  }

  issue(claims: Omit<SessionClaims, 'accessKeyId' | 'exp'>, now: Date, durationSeconds: number): TemporaryCredentials {
    // ASIA marks temporary credentials, as AWS does.
    const accessKeyId = 'ASIA' + [...randomBytes(16)].map((b) => BASE32[b % 32]).join('');
    const exp = Math.floor(now.getTime() / 1000) + durationSeconds;
    const body = Buffer.from(JSON.stringify({ ...claims, accessKeyId, exp })).toString('base64url');
    return {
      accessKeyId,
      secretAccessKey: this.secretFor(accessKeyId),
      sessionToken: `${body}.${this.mac('token', body)}`,
      expiration: new Date(exp * 1000),
    };
  }

  /** The claims and derived secret if the token is genuine, belongs to this key id and has not expired. */
  open(accessKeyId: string, sessionToken: string, now: Date): { claims: SessionClaims; secretAccessKey: string } | null {
    const [body, mac, extra] = sessionToken.split('.');
    if (!body || !mac || extra !== undefined || !this.macMatches('token', body, mac)) return null;
    let claims: SessionClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SessionClaims;
    } catch {
      return null;
    }
    if (claims.accessKeyId !== accessKeyId || claims.exp * 1000 <= now.getTime()) return null;
    return { claims, secretAccessKey: this.secretFor(accessKeyId) };
  }

  private secretFor(accessKeyId: string): string {
    return this.mac('secret', accessKeyId).slice(0, 40);
  }

  private mac(purpose: string, data: string): string {
    return createHmac('sha256', this.sealKey).update(`${purpose}:${data}`).digest('base64url');
  }

  private macMatches(purpose: string, data: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(purpose, data));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
