import { AuditQuerySchema, SettingsSchema, type Viewer } from '@pm-agent/shared';
import { isApprover } from '../../domain/caller';
import { problems } from '../../domain/problem';
import { updateSettings } from '../../domain/settings';
import { parseJsonBody, parseQuery } from '../http/body';
import type { Handler } from '../http/context';

export const getSettings: Handler = async (ctx) => ({ status: 200, body: await ctx.deps.store.getSettings() });

/** `If-Match: "<version>"` makes the write conditional, so two admins cannot silently overwrite each other. */
export const putSettings: Handler = async (ctx) => {
  const settings = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), SettingsSchema, 'settings');
  const ifMatch = ctx.req.headers.get('if-match');
  const expected = ifMatch === null ? undefined : Number(ifMatch.replace(/"/g, ''));
  if (expected !== undefined && !Number.isInteger(expected)) throw problems.badRequest('If-Match must be the settings version, e.g. "3".');
  const out = await updateSettings({ store: ctx.deps.store, now: ctx.deps.now }, ctx.caller, settings, expected);
  if (out.status < 300) ctx.deps.afterChange?.(); // resuming, or a lower autonomy, changes what may run
  return out;
};

export const getViewer: Handler = async (ctx) => {
  const { settings } = await ctx.deps.store.getSettings();
  const viewer: Viewer = {
    actor: ctx.caller.actor,
    canApprove: isApprover(ctx.caller, settings),
    paused: settings.paused,
    autonomyLevel: settings.autonomyLevel,
    holdDelayMinutes: settings.holdDelayMinutes,
  };
  return { status: 200, body: viewer };
};

export const listAudit: Handler = async (ctx) => {
  const { after = 0, limit = 100 } = parseQuery(ctx.url.searchParams, AuditQuerySchema, 'query');
  const items = await ctx.deps.store.listAudit(after, limit);
  return { status: 200, body: { items, next: items.length === limit ? items.at(-1)!.seq : null } };
};
