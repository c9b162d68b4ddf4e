import { outlookSessionName, unverifiedJwtClaims } from '@pm-agent/shared';
import { CredentialsError } from '../errors';
import { defaultFetch, errorMessage, exchange, type FetchFn } from '../http';
import { redact } from '../redact';
import { XmlParseError } from '../xml';
import { parseStsAnswer, type StsErrorDetails } from './sts-xml';
import type { CredentialProvider, Credentials } from './types';

export interface WebIdentityCredentialsOptions {
  /** e.g. https://sts.eu-west-1.amazonaws.com/ */
  stsEndpoint: string;
  roleArn: string;
  /**
   * Default (and what the backend requires of Outlook sessions): derived from the token's subject,
   * so the backend can check that the token sent with each call belongs to the signing session.
   */
  roleSessionName?: string;
  /** An OIDC token from the identity provider the role trusts (e.g. Forge's or Entra ID's). */
  getToken: () => Promise<string>;
  /** Lifetime STS is asked for; default 3600. */
  durationSeconds?: number;
  /** Renew this long before Expiration, so a request never leaves with nearly expired keys. Default 300. */
  refreshBeforeSeconds?: number;
  fetch?: FetchFn;
  /** Clock used for the renewal decision; tests inject one. */
  now?: () => Date;
  /** Timeout for the STS call; default 10 000 ms. */
  timeoutMs?: number;
}

const STS_ADVICE: Record<string, string> = {
  InvalidIdentityToken: 'The identity token was refused: get a fresh token and check the role trusts its issuer.',
  ExpiredTokenException: 'The identity token has expired: get a fresh one.',
  IDPRejectedClaim: "The identity provider's claims were refused: check the role's trust policy (audience, subject).",
  IDPCommunicationError: 'STS could not reach the identity provider: try again shortly.',
  AccessDenied: "The role does not allow this identity: check the role's trust policy.",
  PackedPolicyTooLarge: 'The session policy is too large.',
  RegionDisabledException: 'STS is not enabled in this region: use another STS endpoint or enable the region.',
};

/**
 * Temporary credentials from STS AssumeRoleWithWebIdentity. The call is unsigned (STS accepts this
 * action without AWS credentials; the web identity token is the proof). Credentials are cached
 * and renewed `refreshBeforeSeconds` before they expire; concurrent callers share one renewal.
 * A failed renewal is not cached: the next call tries again. The token never appears in errors.
 * The credentials carry the token (the client sends it signed) and expire no later than it does.
 */
export function webIdentityCredentials(options: WebIdentityCredentialsOptions): CredentialProvider {
  const fetchFn = options.fetch ?? defaultFetch;
  const now = options.now ?? (() => new Date());
  const refreshBeforeMs = (options.refreshBeforeSeconds ?? 300) * 1000;
  const durationSeconds = options.durationSeconds ?? 3600;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const operation = `STS AssumeRoleWithWebIdentity for ${options.roleArn}`;
  const target = `STS at ${options.stsEndpoint}`;

  let cached: Credentials | undefined;
  let renewing: Promise<Credentials> | undefined;

  const fresh = (c: Credentials): boolean => c.expiration !== undefined && now().getTime() < c.expiration.getTime() - refreshBeforeMs;

  async function assumeRole(): Promise<Credentials> {
    let token: string;
    try {
      token = await options.getToken();
    } catch (error) {
      throw new CredentialsError(`Could not get a web identity token for ${operation}. Check that the user is signed in to the identity provider.`, {
        cause: error,
      });
    }
    const claims = unverifiedJwtClaims(token);
    const form = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: options.roleArn,
      RoleSessionName: options.roleSessionName ?? outlookSessionName(claims?.sub ?? 'unknown'),
      WebIdentityToken: token,
      DurationSeconds: String(durationSeconds),
    });
    let res;
    try {
      res = await exchange(
        fetchFn,
        options.stsEndpoint,
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: form.toString() },
        { operation, target, timeoutMs },
      );
    } catch (error) {
      // Network/timeout messages name only the operation and target, never the form body.
      const message = errorMessage(error) ?? 'request failed';
      throw new CredentialsError(`Could not get credentials: ${message}`, { cause: error });
    }
    const requestId = res.headers.get('x-amzn-requestid') ?? undefined;
    let answer;
    try {
      answer = parseStsAnswer(res.body);
    } catch (error) {
      if (!(error instanceof XmlParseError)) throw error;
      throw new CredentialsError(`${operation} failed: STS answered HTTP ${res.status} with a body that is not XML (${error.message}).`, {
        status: res.status,
        requestId,
      });
    }
    if (answer.kind === 'error') throw stsError(answer.error, res.status, requestId, token);
    if (answer.kind === 'unexpected' || res.status < 200 || res.status >= 300) {
      const problem = answer.kind === 'unexpected' ? answer.problem : 'no error details';
      throw new CredentialsError(`${operation} failed: unexpected STS answer (HTTP ${res.status}; ${problem}).`, {
        status: res.status,
        requestId: answer.requestId ?? requestId,
      });
    }
    // The backend refuses a call whose token has expired: renew before either runs out.
    const tokenExpiry = claims?.exp !== undefined ? new Date(claims.exp * 1000) : undefined;
    const stsExpiry = answer.credentials.expiration;
    const expiration = tokenExpiry && (!stsExpiry || tokenExpiry < stsExpiry) ? tokenExpiry : stsExpiry;
    return { ...answer.credentials, expiration, identityToken: token };
  }

  function stsError(details: StsErrorDetails, status: number, headerRequestId: string | undefined, token: string): CredentialsError {
    const code = details.code;
    const advice = (code && STS_ADVICE[code]) || 'Check the role ARN, its trust policy and the STS endpoint.';
    // STS messages can quote the token (or parts we cannot predict); the whole token is removed.
    const said = details.message ? ` STS said: "${redact(details.message, [token])}".` : '';
    return new CredentialsError(`${operation} was refused${code ? ` (${code})` : ''}. ${advice}${said}`, {
      status,
      requestId: details.requestId ?? headerRequestId,
      code,
      stsType: details.type,
    });
  }

  return async () => {
    if (cached && fresh(cached)) return cached;
    if (!renewing) {
      renewing = assumeRole()
        .then((credentials) => {
          cached = credentials;
          return credentials;
        })
        .finally(() => {
          renewing = undefined;
        });
    }
    return renewing;
  };
}
