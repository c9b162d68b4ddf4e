import * as z from 'zod';
import type { DevAuth } from './config';

/**
 * Local stack only: asks the dev identity provider (the stand-in for Entra ID) for an access token
 * for the person Outlook says is signed in (`mailbox.userProfile`; locally the Office.js stand-in
 * supplies it). The rest of the path, STS and signing, is the production path.
 */
export interface Profile {
  displayName: string;
  emailAddress: string;
}

const TokenAnswerSchema = z.object({ access_token: z.string().check(z.minLength(20)) });

export type PostJson = (url: string, body: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

const defaultPost: PostJson = (url, body) => globalThis.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, credentials: 'omit' });

export function devTokenSource(auth: DevAuth, profile: Profile, post: PostJson = defaultPost): () => Promise<string> {
  return async () => {
    const email = profile.emailAddress.trim();
    const request = { sub: email, name: profile.displayName.trim() || email, email };
    let res;
    try {
      res = await post(auth.tokenEndpoint, JSON.stringify(request));
    } catch (e) {
      throw new Error(`the local sign-in service at ${new URL(auth.tokenEndpoint).host} could not be reached (${(e as Error).message})`);
    }
    if (!res.ok) throw new Error(`the local sign-in service answered HTTP ${res.status}`);
    let parsed;
    try {
      parsed = TokenAnswerSchema.safeParse(JSON.parse(await res.text()));
    } catch {
      throw new Error('the local sign-in service answered with something that is not JSON');
    }
    if (!parsed.success) throw new Error('the local sign-in service answered without an access token');
    return parsed.data.access_token;
  };
}
