import { IDENTITY_HEADERS, outlookSessionName } from '@pm-agent/shared';
import type { AuthResult, Received, SignatureProof } from './authenticator';
import { readIdentityHeaders } from './identity-headers';
import type { OutlookTokenVerifier } from './outlook-token';

const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;
const SITE = /^[A-Za-z0-9.:_/-]{1,256}$/;

export interface IdentifyDeps {
  /** Absent when this backend serves no Outlook users: every Outlook call is then refused. */
  outlookTokens?: OutlookTokenVerifier;
  now: () => Date;
}

/**
 * From a verified signature to the person behind the call, identically locally and on AWS:
 * - forge: the Jira accountId and site the Forge app signed (Forge verified the user);
 * - outlook: the claims of the identity provider's token, verified here, and bound to the STS
 *   session that signed the call (the session name must be the one derived from the token's subject);
 * - agent: the agent itself.
 */
export async function identify(proof: SignatureProof, received: Received, deps: IdentifyDeps): Promise<AuthResult> {
  const { principal } = proof;
  const headers = readIdentityHeaders(principal, received.headers, proof.signedHeaders);
  if (!headers.ok) return headers;
  const { header } = headers;

  if (principal === 'forge') {
    const accountId = header(IDENTITY_HEADERS.accountId);
    const site = header(IDENTITY_HEADERS.site);
    if (!accountId || !ACCOUNT_ID.test(accountId) || !site || !SITE.test(site)) {
      return { ok: false, errorType: 'IncompleteSignatureException', message: `Forge calls must sign ${IDENTITY_HEADERS.accountId} and ${IDENTITY_HEADERS.site} with a Jira accountId and site.` };
    }
    return { ok: true, caller: { principal, actor: { principal, id: accountId, site }, admin: header(IDENTITY_HEADERS.role) === 'admin' } };
  }

  if (principal === 'outlook') {
    const denied = (message: string): AuthResult => ({ ok: false, errorType: 'AccessDeniedException', message });
    if (!proof.session) return { ok: false, errorType: 'UnrecognizedClientException', message: 'Outlook calls must use temporary credentials from STS.' };
    if (!deps.outlookTokens) return denied('This backend has no identity provider configured for Outlook users.');
    const checked = await deps.outlookTokens.verify(header(IDENTITY_HEADERS.identityToken) ?? '', deps.now());
    if (!checked.ok) return denied(`The identity token in ${IDENTITY_HEADERS.identityToken} was refused: ${checked.reason}. Sign in again.`);
    const { person } = checked;
    const sameSession = proof.session.name === outlookSessionName(person.sub) && (proof.session.subject === undefined || proof.session.subject === person.sub);
    if (!sameSession) return denied(`The identity token belongs to another user than the STS session that signed this call.`);
    return { ok: true, caller: { principal, actor: { principal, id: person.email, name: person.name }, admin: false } };
  }

  return { ok: true, caller: { principal, actor: { principal, id: 'pm-agent' }, admin: false } };
}
