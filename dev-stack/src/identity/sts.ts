import type { DevIssuer } from './dev-issuer';
import type { SessionSealer } from './session-tokens';

/**
 * The local STS: AssumeRoleWithWebIdentity in AWS STS's query-API shape (form-encoded POST,
 * XML answer), trusting only the local dev issuer. A stand-in for AWS STS in local mode.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 */
export interface LocalStsConfig {
  issuer: DevIssuer;
  sealer: SessionSealer;
  /** The one role the local STS will assume: the Outlook principal's. */
  outlookRoleArn: string;
  now: () => Date;
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const DURATION = { min: 900, max: 43_200, default: 3_600 };

export function assumeRoleWithWebIdentity(cfg: LocalStsConfig, form: URLSearchParams, requestId: string): { status: number; xml: string } {
  const fail = (code: string, message: string, status = 400) => ({ status, xml: errorXml(code, message, requestId) });

  if (form.get('Action') !== 'AssumeRoleWithWebIdentity') return fail('InvalidAction', 'This local STS only supports Action=AssumeRoleWithWebIdentity.');
  if (form.get('Version') !== '2011-06-15') return fail('InvalidParameterValue', 'Version must be 2011-06-15.');
  const roleArn = form.get('RoleArn');
  const sessionName = form.get('RoleSessionName') ?? '';
  const token = form.get('WebIdentityToken');
  if (!roleArn || !token) return fail('MissingParameter', `The request must contain the parameter ${roleArn ? 'WebIdentityToken' : 'RoleArn'}.`);
  if (!ROLE_SESSION_NAME.test(sessionName)) return fail('ValidationError', 'RoleSessionName must be 2–64 characters of letters, digits and +=,.@_-.');
  const duration = Number(form.get('DurationSeconds') ?? DURATION.default);
  if (!Number.isInteger(duration) || duration < DURATION.min || duration > DURATION.max) {
    return fail('ValidationError', `DurationSeconds must be a whole number from ${DURATION.min} to ${DURATION.max}.`);
  }
  if (roleArn !== cfg.outlookRoleArn) return fail('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity on that role.', 403);

  const now = cfg.now();
  const verified = cfg.issuer.verify(token, now);
  if (!verified.ok) {
    const code = verified.reason.includes('expired') ? 'ExpiredTokenException' : 'InvalidIdentityToken';
    return fail(code, `The web identity token was refused: ${verified.reason}.`);
  }
  const { sub, email, name, aud } = verified.claims;
  const creds = cfg.sealer.issue({ sub, email: email.toLowerCase(), name, role: roleArn }, now, duration);
  const assumedArn = `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${sessionName}`;
  return {
    status: 200,
    xml: `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>${xml(sub)}</SubjectFromWebIdentityToken>
    <Audience>${xml(aud)}</Audience>
    <AssumedRoleUser>
      <Arn>${xml(assumedArn)}</Arn>
      <AssumedRoleId>AROALOCAL:${xml(sessionName)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>
      <SessionToken>${creds.sessionToken}</SessionToken>
      <Expiration>${creds.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z')}</Expiration>
    </Credentials>
    <Provider>${xml(cfg.issuer.issuer)}</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`,
  };
}

function errorXml(code: string, message: string, requestId: string): string {
  const type = code === 'InternalFailure' ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${STS_NS}">
  <Error>
    <Type>${type}</Type>
    <Code>${code}</Code>
    <Message>${xml(message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>`;
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
