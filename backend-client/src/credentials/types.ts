/** AWS credentials as SigV4 needs them. Temporary ones carry a session token and an expiry. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
}

/** Called before every signed attempt; providers cache, so this is cheap. */
export type CredentialProvider = () => Promise<Credentials>;
