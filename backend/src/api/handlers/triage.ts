import { EmailInputSchema, TRIAGE_LIMITS } from '@pm-agent/shared';
import { Problem, problems } from '../../domain/problem';
import { parseJsonBody } from '../http/body';
import type { Handler } from '../http/context';
import { triageEmail, withCurrentSuggestions } from '../triage/pipeline';
import { MessageKeySchema } from '../../contracts/stage-io';

export const TRIAGE_BODY_LIMIT = TRIAGE_LIMITS.requestBytes;

export const triage: Handler = async (ctx) => {
  if (!ctx.deps.triage) throw new Problem(503, 'internal', 'Triage is not running on this backend. Start the full local stack with npm start.');
  const email = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), EmailInputSchema, 'email');
  const out = await triageEmail({ ...ctx.deps.triage, store: ctx.deps.store, now: ctx.deps.now, log: ctx.deps.log }, ctx.caller, email);
  if (out.status < 300) ctx.deps.afterChange?.();
  return out;
};

export const getTriage: Handler = async (ctx) => {
  const key = MessageKeySchema.safeParse(ctx.params.messageKey);
  if (!key.success) throw problems.notFound(`No triage for ${ctx.params.messageKey}: message keys look like msg_…`);
  const stored = await ctx.deps.store.getTriage(key.data);
  if (!stored) throw problems.notFound(`No triage for ${key.data} yet. POST the email to /v1/triage first.`);
  return { status: 200, body: { triage: await withCurrentSuggestions(ctx.deps.store, stored), cached: true } };
};
