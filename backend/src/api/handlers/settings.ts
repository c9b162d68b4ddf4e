import { AuditQuerySchema, SettingsSchema, UNDO_WINDOW_DEFAULT_MINUTES, type Viewer } from '@pm-agent/shared';
import { isApprover } from '../../domain/caller';
import { Problem, problems } from '../../domain/problem';
import { updateSettings } from '../../domain/settings';
import { parseJsonBody, parseQuery } from '../http/body';
import type { Handler } from '../http/context';

export const getSettings: Handler = async (ctx) => ({ status: 200, body: await ctx.deps.store.getSettings() });

const IF_MATCH = /^"(\d{1,15})"$/;

/**
 * `If-Match: "<version>"` (the version the admin page read) is required: a change made from an old
 * view, two admins at once, or a replayed request gets 409 with the current settings, never a silent
 * overwrite.
 */
export const putSettings: Handler = async (ctx) => {
  const ifMatch = ctx.req.headers.get('if-match');
  if (ifMatch === null) throw new Problem(428, 'precondition_required', 'Send If-Match with the settings version you read (e.g. If-Match: "3"), so a change based on an old view cannot overwrite a newer one.');
  const version = IF_MATCH.exec(ifMatch.trim())?.[1];
  if (version === undefined) throw problems.badRequest('If-Match must be the settings version in quotes, e.g. "3".');
  const settings = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), SettingsSchema, 'settings');
  const expected = Number(version);
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
    undoWindowMinutes: settings.undoWindowMinutes ?? UNDO_WINDOW_DEFAULT_MINUTES,
  };
  return { status: 200, body: viewer };
};

export const listAudit: Handler = async (ctx) => {
  const { after = 0, limit = 100 } = parseQuery(ctx.url.searchParams, AuditQuerySchema, 'query');
  const items = await ctx.deps.store.listAudit(after, limit);
  return { status: 200, body: { items, next: items.length === limit ? items.at(-1)!.seq : null } };
};
