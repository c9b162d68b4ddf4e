import { PRINCIPALS, REQUIRED_IDENTITY_HEADERS, type Principal } from '@pm-agent/shared';
import type { SessionSealer } from '../identity/session-tokens';
import { verifySigV4, type SigningIdentity } from './sigv4';
import { callerFor, type Authenticator, type AuthResult, type Received } from '@pm-agent/backend/api';

export interface PrincipalKey {
  principal: Principal;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The local stand-in for API Gateway's IAM authorisation: verifies SigV4 against the local keys
 * (long-term keys per principal, and STS temporary credentials for Outlook users).
 */
export class SigV4Authenticator implements Authenticator {
  private readonly keys: Map<string, PrincipalKey>;

  constructor(
    keys: PrincipalKey[],
    private readonly opts: { region: string; service: string; now: () => Date; sessions?: SessionSealer },
  ) {
    this.keys = new Map(keys.map((k) => [k.accessKeyId, k]));
  }

  async authenticate(received: Received): Promise<AuthResult> {
    const result = await verifySigV4(received, {
      region: this.opts.region,
      service: this.opts.service,
      now: this.opts.now(),
      lookupKey: async (akid, token) => this.lookup(akid, token),
    });
    if (!result.ok) return { ok: false, errorType: result.errorType, message: result.message };

    const principal = result.identity.principal as Principal;
    const unsigned = REQUIRED_IDENTITY_HEADERS[principal].filter((h) => !result.signedHeaders.includes(h));
    if (unsigned.length) {
      return { ok: false, errorType: 'IncompleteSignatureException', message: `These headers must be signed: ${unsigned.join(', ')}.` };
    }
    const header = (name: string) => received.headers.find(([n]) => n.toLowerCase() === name)?.[1].trim();
    const a = result.identity.attributes;
    return callerFor(principal, header, a ? { sub: a.sub ?? '', email: a.email ?? '', name: a.name ?? '' } : undefined);
  }

  private lookup(accessKeyId: string, sessionToken: string | undefined): SigningIdentity | null {
    const key = this.keys.get(accessKeyId);
    if (key) return sessionToken ? null : { principal: key.principal, secretAccessKey: key.secretAccessKey };
    if (!sessionToken || !this.opts.sessions) return null;
    const session = this.opts.sessions.open(accessKeyId, sessionToken, this.opts.now());
    if (!session) return null;
    const { sub, email, name } = session.claims;
    return { principal: 'outlook', secretAccessKey: session.secretAccessKey, attributes: { sub, email, name } };
  }
}

export function isPrincipal(s: string): s is Principal {
  return (PRINCIPALS as readonly string[]).includes(s);
}
