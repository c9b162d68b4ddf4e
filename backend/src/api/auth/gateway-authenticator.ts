import type { Principal } from '@pm-agent/shared';
import { callerFor, type Authenticator, type AuthResult, type Received } from './authenticator';

/**
 * On AWS, API Gateway's IAM authorisation has verified the SigV4 signature before the Lambda
 * runs; the caller arrives in the request context as an IAM ARN. Each principal is an IAM role:
 * `arn:aws:sts::<account>:assumed-role/<role>/<session>`. For Outlook users the session name is
 * the user's email, which the role's trust policy binds to the token's claim (see docs/aws.md).
 */
export class GatewayAuthenticator implements Authenticator {
  constructor(private readonly roles: Record<Principal, string>) {}

  async authenticate(received: Received): Promise<AuthResult> {
    const arn = received.gatewayIdentity?.userArn;
    const m = arn ? /^arn:aws:sts::\d{12}:assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/.exec(arn) : null;
    const principal = m ? (Object.keys(this.roles) as Principal[]).find((p) => this.roles[p] === m[1]) : undefined;
    if (!m || !principal) {
      return { ok: false, errorType: 'AccessDeniedException', message: 'The caller is not one of the roles this API serves.' };
    }
    const header = (name: string) => received.headers.find(([n]) => n.toLowerCase() === name)?.[1].trim();
    const session = m[2]!;
    return callerFor(principal, header, principal === 'outlook' ? { sub: session, email: session.toLowerCase(), name: session } : undefined);
  }
}
