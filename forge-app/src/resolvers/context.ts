import { z } from 'zod';
import { IssueKey } from '@pm-agent/shared';
import { MODULE_KEYS, type ModuleName } from '../common/modules';

/**
 * The resolver's `context` as @forge/resolver hands it over. Forge builds it, not the page:
 * `accountId` comes from the platform's verified principal, `moduleKey` and `extension` from the
 * module the call was made in. Only the fields the resolvers read are described; the rest pass.
 */
export interface ForgeContext {
  accountId?: string | undefined;
  cloudId?: string | undefined;
  siteUrl?: string | undefined;
  moduleKey?: string | undefined;
  localId?: string | undefined;
  extension?: { type?: string | undefined; issue?: { key?: string | undefined; [k: string]: unknown } | undefined; [k: string]: unknown } | undefined;
  [key: string]: unknown;
}

export interface ResolverRequest {
  payload: unknown;
  context: ForgeContext;
}

const AccountId = z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/);

const ContextSchema = z.object({
  accountId: AccountId,
  cloudId: z.string().regex(/^[A-Za-z0-9-]{1,128}$/).optional(),
  siteUrl: z.string().optional(),
  moduleKey: z.string(),
  extension: z.object({ issue: z.object({ key: IssueKey }).optional() }).optional(),
});

/** Who is calling, from where: everything a resolver may trust about the caller. */
export interface Caller {
  accountId: string;
  /** The Jira site, as signed into the backend's identity header: the cloud id, else the site host. */
  site: string;
  module: ModuleName;
  /** Only for calls from an issue panel. */
  issueKey: string | undefined;
}

export type CallerCheck = { ok: true; caller: Caller } | { ok: false; message: string };

const MODULE_BY_KEY = new Map<string, ModuleName>(Object.entries(MODULE_KEYS).map(([name, key]) => [key, name as ModuleName]));

/** The caller, if the context is one Forge would send from one of this app's modules. */
export function callerFrom(context: unknown): CallerCheck {
  const parsed = ContextSchema.safeParse(context);
  if (!parsed.success) {
    const signedOut = !(context && typeof context === 'object' && 'accountId' in context && context.accountId);
    return {
      ok: false,
      message: signedOut ? 'Sign in to Jira to use the PM agent panel.' : 'This call did not come from a PM agent page the app knows.',
    };
  }
  const c = parsed.data;
  const module = MODULE_BY_KEY.get(c.moduleKey);
  const site = c.cloudId ?? (c.siteUrl && URL.canParse(c.siteUrl) ? new URL(c.siteUrl).host : undefined);
  if (!module || !site) return { ok: false, message: 'This call did not come from a PM agent page the app knows.' };
  return { ok: true, caller: { accountId: c.accountId, site, module, issueKey: c.extension?.issue?.key } };
}
