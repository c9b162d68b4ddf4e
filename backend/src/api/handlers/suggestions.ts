import {
  ApproveRequestSchema,
  CreateSuggestionRequestSchema,
  IDEMPOTENCY_HEADER,
  ListSuggestionsQuerySchema,
  RejectRequestSchema,
  SuggestionId,
} from '@pm-agent/shared';
import { z } from 'zod';
import { approveSuggestion, createSuggestion, rejectSuggestion, stopSuggestion } from '../../domain/suggestions';
import { problems } from '../../domain/problem';
import { parseJsonBody, parseQuery } from '../http/body';
import type { Handler, RouteContext } from '../http/context';

const IdempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8–128 letters, digits or ._:-');

function idempotencyKey(ctx: RouteContext): string | undefined {
  const raw = ctx.req.headers.get(IDEMPOTENCY_HEADER);
  if (raw === null) return undefined;
  const parsed = IdempotencyKey.safeParse(raw);
  if (!parsed.success) throw problems.invalid('Idempotency-Key header', parsed.error);
  return parsed.data;
}

function suggestionId(ctx: RouteContext): string {
  const parsed = SuggestionId.safeParse(ctx.params.id);
  if (!parsed.success) throw problems.notFound(`No suggestion with id ${ctx.params.id}: suggestion ids look like sug_…`);
  return parsed.data;
}

const lifecycle = (ctx: RouteContext) => ({ store: ctx.deps.store, now: ctx.deps.now });

/** Something may now be ready to run: let the dispatcher look at once rather than at its next poll. */
function notifying<T extends { status: number }>(ctx: RouteContext, out: T): T {
  if (out.status < 300) ctx.deps.afterChange?.();
  return out;
}

export const create: Handler = async (ctx) => {
  const req = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), CreateSuggestionRequestSchema, 'suggestion');
  return notifying(ctx, await createSuggestion(lifecycle(ctx), ctx.caller, req, idempotencyKey(ctx)));
};

export const list: Handler = async (ctx) => {
  const query = parseQuery(ctx.url.searchParams, ListSuggestionsQuerySchema, 'query');
  return { status: 200, body: { items: await ctx.deps.store.listSuggestions(query) } };
};

export const get: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const suggestion = await ctx.deps.store.getSuggestion(id);
  if (!suggestion) throw problems.notFound(`No suggestion with id ${id}.`);
  return { status: 200, body: { suggestion } };
};

export const approve: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const req = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), ApproveRequestSchema, 'approval');
  return notifying(ctx, await approveSuggestion(lifecycle(ctx), ctx.caller, id, req, idempotencyKey(ctx)));
};

export const reject: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const { reason } = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), RejectRequestSchema, 'rejection');
  return rejectSuggestion(lifecycle(ctx), ctx.caller, id, reason, idempotencyKey(ctx));
};

/** Stop takes no body; an empty JSON object is accepted too. */
export const stop: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  if (ctx.body.byteLength) parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), z.strictObject({}), 'stop request');
  return stopSuggestion(lifecycle(ctx), ctx.caller, id, idempotencyKey(ctx));
};
