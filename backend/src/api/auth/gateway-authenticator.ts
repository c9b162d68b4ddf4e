import type { Principal } from '@pm-agent/shared';
import type { Authenticator, AuthResult, Received, SignatureProof } from './authenticator';
import { identify, type IdentifyDeps } from './identify';
import { signedHeadersOf } from './identity-headers';

/**
 * The IAM identity each principal uses on AWS: the Forge app signs with an IAM user's long-term key
 * (the key pair entered on the admin page); Outlook users and the agent with temporary credentials
 * of their role. Names as in IAM: the user name, the role names.
 */
export interface GatewayIdentities {
  forge: string;
  outlook: string;
  agent: string;
}

/** The kind of IAM identity each principal must be; a role name reused as a user name is refused. */
const KIND: Record<Principal, 'user' | 'assumed-role'> = { forge: 'user', outlook: 'assumed-role', agent: 'assumed-role' };

const USER_ARN = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const ASSUMED_ROLE_ARN = /^arn:aws[\w-]*:sts::\d{12}:assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;

/**
 * On AWS, API Gateway's IAM authorisation has verified the SigV4 signature before the Lambda runs;
 * the caller arrives in the request context as an IAM ARN, and the Authorization header (passed
 * through) says which headers that signature covered. The rest is `identify`, as locally.
 */
export class GatewayAuthenticator implements Authenticator {
  constructor(
    private readonly identities: GatewayIdentities,
    private readonly deps: IdentifyDeps,
  ) {}

  async authenticate(received: Received): Promise<AuthResult> {
    const proof = this.proof(received);
    if (!proof) return { ok: false, errorType: 'AccessDeniedException', message: 'The caller is not one of the IAM identities this API serves.' };
    const authorization = received.headers.filter(([n]) => n.toLowerCase() === 'authorization');
    const signedHeaders = authorization.length === 1 ? signedHeadersOf(authorization[0]![1].trim()) : undefined;
    if (!signedHeaders) {
      return { ok: false, errorType: 'IncompleteSignatureException', message: 'The request must carry exactly one SigV4 Authorization header naming its SignedHeaders.' };
    }
    return identify({ ...proof, signedHeaders }, received, this.deps);
  }

  private proof(received: Received): Omit<SignatureProof, 'signedHeaders'> | undefined {
    const arn = received.gatewayIdentity?.userArn ?? '';
    const user = USER_ARN.exec(arn);
    const role = ASSUMED_ROLE_ARN.exec(arn);
    const name = user?.[1] ?? role?.[1];
    const kind = user ? 'user' : role ? 'assumed-role' : undefined;
    const principal = (Object.keys(this.identities) as Principal[]).find((p) => this.identities[p] === name && KIND[p] === kind);
    if (!principal) return undefined;
    return { principal, ...(role ? { session: { name: role[2]! } } : {}) };
  }
}
