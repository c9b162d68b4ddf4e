/** AWS credentials as SigV4 needs them. Temporary ones carry a session token and an expiry. */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
  expiration?: Date | undefined;
  /**
   * Web identity only: the identity provider's token these credentials were obtained with. The
   * client sends it, signed, in the identity-token header so the backend can verify who the person is.
   */
  identityToken?: string | undefined;
}

/** Called before every signed attempt; providers cache, so this is cheap. */
export type CredentialProvider = () => Promise<Credentials>;
