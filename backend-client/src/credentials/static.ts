import type { CredentialProvider, Credentials } from './types';

/** Fixed credentials, e.g. the local stack's keys or keys a Forge app holds as secrets. */
export function staticCredentials(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined }): CredentialProvider {
  if (!credentials.accessKeyId) throw new TypeError('staticCredentials: accessKeyId is empty');
  if (!credentials.secretAccessKey) throw new TypeError('staticCredentials: secretAccessKey is empty');
  // A frozen copy: later changes to the caller's object must not change what we sign with.
  const fixed: Credentials = Object.freeze({
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
  });
  return () => Promise.resolve(fixed);
}
