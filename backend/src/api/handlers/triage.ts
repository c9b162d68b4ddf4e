import { EmailInputSchema, NotSuspiciousRequestSchema, TRIAGE_LIMITS, type NotSuspiciousResponse } from '@pm-agent/shared';
import { fingerprint, runOnce } from '../../domain/idempotency';
import { canSee, mailboxOf } from '../../domain/caller';
import { Problem, problems } from '../../domain/problem';
import { parseJsonBody } from '../http/body';
import { json } from '../http/responses';
import { RateLimiter } from '../triage/rate-limit';
import type { Handler, RouteContext } from '../http/context';
import { retriageEmail } from '../triage/retriage';
import { idempotencyKey } from './suggestions';
import { triageEmail, withCurrentSuggestions } from '../triage/pipeline';
import { MessageKeySchema } from '../../contracts/stage-io';

export const TRIAGE_BODY_LIMIT = TRIAGE_LIMITS.requestBytes;

/** One limiter per running triage configuration (per app), so tests and apps never share buckets. */
const limiters = new WeakMap<object, RateLimiter>();
const DEFAULT_PER_CALLER = { burst: 10, perMinute: 10 };

/** The triage configuration, or 503 when the stages are not running here. */
function triageConfig(ctx: RouteContext): NonNullable<RouteContext['deps']['triage']> {
  if (!ctx.deps.triage) throw new Problem(503, 'internal', 'Triage is not running on this backend. Start the full local stack with npm start.');
  return ctx.deps.triage;
}

/** Triage and re-triage share each caller's bucket: 429 with Retry-After when it is empty, else null. */
function overRate(ctx: RouteContext): ReturnType<typeof json> | null {
  const config = triageConfig(ctx);
  let limiter = limiters.get(config);
  if (!limiter) limiters.set(config, (limiter = new RateLimiter(config.model.caps.perCaller ?? DEFAULT_PER_CALLER, ctx.deps.now)));
  const allowed = limiter.take(`${ctx.caller.principal}:${ctx.caller.actor.id.toLowerCase()}`);
  if (allowed.ok) return null;
  const message = `Too many triage requests from you; try again in ${allowed.retryAfterSeconds} s.`;
  return json(429, { error: 'too_many_requests', message, requestId: ctx.requestId }, ctx.requestId, { 'retry-after': String(allowed.retryAfterSeconds) });
}

const pipelineDeps = (ctx: RouteContext) => ({ ...triageConfig(ctx), store: ctx.deps.store, now: ctx.deps.now, log: ctx.deps.log });

export const triage: Handler = async (ctx) => {
  // Before the body is even parsed: one caller's flood costs everyone else nothing.
  const limited = overRate(ctx);
  if (limited) return limited;
  const email = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), EmailInputSchema, 'email');
  const mailbox = mailboxOf(ctx.caller);
  if (mailbox === null) throw problems.forbidden('Only an Outlook user can triage an email: the result belongs to their mailbox.');
  const out = await triageEmail(pipelineDeps(ctx), ctx.caller, mailbox, email);
  if (out.status < 300) ctx.deps.afterChange?.();
  return out;
};

/**
 * A fresh triage of an email already triaged, asked for by its mailbox's owner (the body is the
 * email again). Anyone else gets what a missing triage gets. See triage/retriage.ts.
 */
export const retriage: Handler = async (ctx) => {
  const limited = overRate(ctx);
  if (limited) return limited;
  const key = MessageKeySchema.safeParse(ctx.params.messageKey);
  if (!key.success) throw problems.notFound(`No triage for ${ctx.params.messageKey}: message keys look like msg_…`);
  const email = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), EmailInputSchema, 'email');
  const mailbox = mailboxOf(ctx.caller);
  if (mailbox === null) throw problems.notFound(`No triage for ${key.data} in your mailbox.`);
  const out = await retriageEmail(pipelineDeps(ctx), ctx.caller, mailbox, { messageKey: key.data, email, idempotencyKey: idempotencyKey(ctx) });
  if (out.status < 300) ctx.deps.afterChange?.();
  return out;
};

export const getTriage: Handler = async (ctx) => {
  const key = MessageKeySchema.safeParse(ctx.params.messageKey);
  if (!key.success) throw problems.notFound(`No triage for ${ctx.params.messageKey}: message keys look like msg_…`);
  const stored = await ctx.deps.store.getTriage(key.data);
  // Another mailbox's triage is answered exactly like a missing one.
  if (!stored || !canSee(ctx.caller, stored.mailbox)) throw problems.notFound(`No triage for ${key.data} yet. POST the email to /v1/triage first.`);
  return { status: 200, body: { triage: await withCurrentSuggestions(ctx.deps.store, stored), cached: true } };
};

/** Said in the answer and the audit entry: the judgement changes no floor (design: outside text never runs without a person). */
export const NOT_SUSPICIOUS_EFFECT = 'Recorded. Every suggestion from this email still needs an approval: a person’s judgement does not let text from outside run by itself.';

/**
 * The mailbox owner marks a flagged email as not suspicious. Only the Outlook user whose mailbox
 * the triage belongs to; anyone else (another mailbox, the Jira app) gets what a missing triage
 * gets. An email with nothing flagged has nothing to clear (409).
 */
export const notSuspicious: Handler = async (ctx) => {
  const key = MessageKeySchema.safeParse(ctx.params.messageKey);
  if (!key.success) throw problems.notFound(`No triage for ${ctx.params.messageKey}: message keys look like msg_…`);
  const body = parseJsonBody(ctx.body, ctx.req.headers.get('content-type'), NotSuspiciousRequestSchema, 'request');
  const mailbox = mailboxOf(ctx.caller);
  const stored = await ctx.deps.store.getTriage(key.data);
  if (!stored || mailbox === null || stored.mailbox !== mailbox) throw problems.notFound(`No triage for ${key.data} in your mailbox.`);
  if (stored.category !== 'suspicious' && stored.signals.length === 0) throw problems.conflict('This email is not marked suspicious and shows no signs of injected instructions: there is nothing to clear.');
  const at = ctx.deps.now().toISOString();
  const answer: NotSuspiciousResponse = { messageKey: stored.messageKey, markedBy: ctx.caller.actor, at, effect: NOT_SUSPICIOUS_EFFECT };
  // With an Idempotency-Key a retried mark is recorded once and answered as the first time.
  const idem = { scope: `${ctx.caller.principal}:${ctx.caller.actor.id.toLowerCase()}:not-suspicious`, key: idempotencyKey(ctx), fingerprint: fingerprint(stored.messageKey, JSON.stringify(body)) };
  const out = await runOnce(ctx.deps.store, idem, at, async () => ({
    result: { status: 200, body: answer },
    changes: {
      writes: [],
      audit: [
        {
          at,
          actor: ctx.caller.actor,
          action: 'triage.marked_not_suspicious',
          subject: stored.messageKey,
          details: {
            internetMessageId: stored.internetMessageId,
            category: stored.category,
            signals: stored.signals.map((s) => s.kind),
            ...(body.reason ? { reason: body.reason } : {}),
            effect: 'none: suggestions keep needing approval',
          },
        },
      ],
    },
  }));
  if (out.status < 300) ctx.deps.afterChange?.();
  return out;
};
