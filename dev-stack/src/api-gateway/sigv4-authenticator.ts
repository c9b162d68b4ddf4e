import { PRINCIPALS, type Principal } from '@pm-agent/shared';
import type { SessionSealer } from '../identity/session-tokens';
import { verifySigV4, type SigningIdentity } from './sigv4';
import type { Authenticator, AuthResult, Received } from '@pm-agent/backend/api';
import { identify, type IdentifyDeps } from '@pm-agent/backend/api';

export interface PrincipalKey {
  principal: Principal;
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * The local stand-in for API Gateway's IAM authorisation: verifies SigV4 against the local keys
 * (long-term keys per principal, and STS temporary credentials for Outlook users), then reads the
 * identity headers exactly as the Lambda does (`identify`).
 */
export class SigV4Authenticator implements Authenticator {
  private readonly keys: Map<string, PrincipalKey>;

  constructor(
    keys: PrincipalKey[],
    private readonly opts: { region: string; service: string; now: () => Date; sessions?: SessionSealer; identify: Omit<IdentifyDeps, 'now'> },
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
    const a = result.identity.attributes;
    const session = a?.sessionName !== undefined ? { name: a.sessionName, subject: a.sub } : undefined;
    return identify({ principal: result.identity.principal as Principal, signedHeaders: result.signedHeaders, session }, received, { ...this.opts.identify, now: this.opts.now });
  }

  private lookup(accessKeyId: string, sessionToken: string | undefined): SigningIdentity | null {
    const key = this.keys.get(accessKeyId);
    if (key) return sessionToken ? null : { principal: key.principal, secretAccessKey: key.secretAccessKey };
    if (!sessionToken || !this.opts.sessions) return null;
    const session = this.opts.sessions.open(accessKeyId, sessionToken, this.opts.now());
    if (!session) return null;
    const { sub, sessionName } = session.claims;
    return { principal: 'outlook', secretAccessKey: session.secretAccessKey, attributes: { sub, sessionName } };
  }
}

export function isPrincipal(s: string): s is Principal {
  return (PRINCIPALS as readonly string[]).includes(s);
}
