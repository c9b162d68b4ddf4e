import { child, childText, parseXml, type XmlElement } from '../xml';
import type { Credentials } from './types';

/**
 * Reads STS's answer to AssumeRoleWithWebIdentity (Query API, XML):
 *   <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
 *     <AccessKeyId/><SecretAccessKey/><SessionToken/><Expiration/>
 * or an error:
 *   <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>
 */

export interface StsErrorDetails {
  type: string | undefined;
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
}

export type StsAnswer =
  | { kind: 'credentials'; credentials: Required<Pick<Credentials, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>>; requestId: string | undefined }
  | { kind: 'error'; error: StsErrorDetails }
  /** Well-formed XML that is neither; `problem` says what was missing. */
  | { kind: 'unexpected'; problem: string; requestId: string | undefined };

/** Throws XmlParseError when the body is not XML at all. */
export function parseStsAnswer(body: string): StsAnswer {
  const root = parseXml(body);
  if (root.name === 'ErrorResponse') {
    return {
      kind: 'error',
      error: {
        type: childText(root, 'Error', 'Type'),
        code: childText(root, 'Error', 'Code'),
        message: childText(root, 'Error', 'Message'),
        requestId: childText(root, 'RequestId'),
      },
    };
  }
  const requestId = childText(root, 'ResponseMetadata', 'RequestId');
  if (root.name !== 'AssumeRoleWithWebIdentityResponse') {
    return { kind: 'unexpected', problem: `root element is <${root.name}>`, requestId };
  }
  const creds = child(root, 'AssumeRoleWithWebIdentityResult', 'Credentials');
  const missing = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'].filter((name) => !childText(creds, name));
  if (!creds || missing.length) return { kind: 'unexpected', problem: `credentials lack ${missing.join(', ')}`, requestId };
  const expiration = new Date(text(creds, 'Expiration'));
  if (Number.isNaN(expiration.getTime())) return { kind: 'unexpected', problem: 'Expiration is not a date', requestId };
  return {
    kind: 'credentials',
    credentials: {
      accessKeyId: text(creds, 'AccessKeyId'),
      secretAccessKey: text(creds, 'SecretAccessKey'),
      sessionToken: text(creds, 'SessionToken'),
      expiration,
    },
    requestId,
  };
}

/** childText for a field already checked to be present. */
function text(element: XmlElement, name: string): string {
  return childText(element, name) ?? '';
}
