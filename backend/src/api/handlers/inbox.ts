import { BulkDecisionRequestSchema, InboxQuerySchema } from '@pm-agent/shared';
import { decideMany } from '../../domain/bulk';
import { queryInbox } from '../../domain/inbox';
import { mayView } from '../../domain/visibility';
import { parseJsonBody, parseQuery } from '../http/body';
import type { Handler } from '../http/context';
import { idempotencyKey } from './suggestions';

/** Enough for any inbox we expect on one installation; the inbox is filtered in memory over these. */
const INBOX_SCAN_LIMIT = 10_000;

export const inbox: Handler = async (ctx) => {
  const query = parseQuery(ctx.url.searchParams, InboxQuerySchema, 'inbox query');
  const all = await ctx.deps.store.listSuggestions({ limit: INBOX_SCAN_LIMIT });
  return { status: 200, body: queryInbox(all.filter((s) => mayView(ctx.caller, s)), query) };
};

export const decisions: Handler = async (ctx) => {
  const req = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), BulkDecisionRequestSchema, 'bulk decision');
  const out = await decideMany({ store: ctx.deps.store, now: ctx.deps.now }, ctx.caller, req, idempotencyKey(ctx));
  if (out.status < 300) ctx.deps.afterChange?.();
  return out;
};
