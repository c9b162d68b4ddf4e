import {
  ApproveRequestSchema,
  CreateSuggestionRequestSchema,
  EditHeldRequestSchema,
  IDEMPOTENCY_HEADER,
  IdempotencyKeySchema,
  RetryRequestSchema,
  RunNowRequestSchema,
  ListSuggestionsQuerySchema,
  RejectRequestSchema,
  RespondRequestSchema,
  SuggestionId,
} from '@pm-agent/shared';
import { z } from 'zod';
import {
  approveSuggestion,
  createSuggestion,
  dismissSuggestion,
  editHeld,
  rejectSuggestion,
  reopenSuggestion,
  respondToSuggestion,
  retryWithStatus,
  runHeldNow,
  stopSuggestion,
  undoSuggestion,
} from '../../domain/suggestions';
import { canSee, mailboxOf } from '../../domain/caller';
import { problems } from '../../domain/problem';
import { parseJsonBody, parseQuery } from '../http/body';
import type { Handler, RouteContext } from '../http/context';

export function idempotencyKey(ctx: RouteContext): string | undefined {
  const raw = ctx.req.headers.get(IDEMPOTENCY_HEADER);
  if (raw === null) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(raw);
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
  const mailbox = mailboxOf(ctx.caller);
  return { status: 200, body: { items: await ctx.deps.store.listSuggestions(mailbox === null ? query : { ...query, mailbox }) } };
};

export const get: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const suggestion = await ctx.deps.store.getSuggestion(id);
  // Another mailbox's suggestion is answered exactly like a missing one.
  if (!suggestion || !canSee(ctx.caller, suggestion.mailbox)) throw problems.notFound(`No suggestion with id ${id}.`);
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

/** Dismiss and reopen take no body; an empty JSON object is accepted too. */
function noBody(ctx: RouteContext, what: string): void {
  if (ctx.body.byteLength) parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), z.strictObject({}), what);
}

export const dismiss: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  noBody(ctx, 'dismiss request');
  return dismissSuggestion(lifecycle(ctx), ctx.caller, id, idempotencyKey(ctx));
};

export const respond: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const { guidance } = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), RespondRequestSchema, 'response to the agent');
  return respondToSuggestion(lifecycle(ctx), ctx.caller, id, guidance, idempotencyKey(ctx));
};

export const reopen: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  noBody(ctx, 'reopen request');
  return reopenSuggestion(lifecycle(ctx), ctx.caller, id, idempotencyKey(ctx));
};

/** Undo an executed comment within the undo window: the execute stage removes it. */
export const undo: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  noBody(ctx, 'undo request');
  return notifying(ctx, await undoSuggestion(lifecycle(ctx), ctx.caller, id, idempotencyKey(ctx)));
};

export const runNow: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const { payloadHash } = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), RunNowRequestSchema, 'run-now request');
  return notifying(ctx, await runHeldNow(lifecycle(ctx), ctx.caller, id, payloadHash, idempotencyKey(ctx)));
};

export const edit: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const req = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), EditHeldRequestSchema, 'edit of a held suggestion');
  return editHeld(lifecycle(ctx), ctx.caller, id, req, idempotencyKey(ctx));
};

export const retry: Handler = async (ctx) => {
  const id = suggestionId(ctx);
  const req = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), RetryRequestSchema, 'retry request');
  return notifying(ctx, await retryWithStatus(lifecycle(ctx), ctx.caller, id, req, idempotencyKey(ctx)));
};
