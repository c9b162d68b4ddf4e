import * as z from 'zod';
import { MessageKeySchema } from './keys';
import { ActionTypeSchema } from './actions';
import { DeclaredTextOriginSchema } from './origin';
import { ActorSchema, SuggestionId, SuggestionSchema } from './schemas';
import { EmailAddress, IssueKey, text } from './text';
import { TRIAGE_LIMITS } from './limits';

/**
 * Triage: the email as the Outlook task pane reads it, what the two isolated stages may hand on,
 * and the result the pane shows. Limits are documented here and enforced by these schemas.
 */

const Recipient = z.strictObject({ name: z.optional(z.string().check(z.maxLength(300))), address: EmailAddress });

export const EmailInputSchema = z.strictObject({
  internetMessageId: z.string().check(z.minLength(3, 'must not be empty'), z.maxLength(998)),
  subject: z.string().check(z.maxLength(2_000)),
  from: Recipient,
  to: z.array(Recipient).check(z.maxLength(TRIAGE_LIMITS.recipients, `at most ${TRIAGE_LIMITS.recipients} recipients`)),
  cc: z._default(z.array(Recipient).check(z.maxLength(TRIAGE_LIMITS.recipients, `at most ${TRIAGE_LIMITS.recipients} recipients`)), []),
  receivedAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
  bodyHtml: z.optional(z.string().check(z.maxLength(TRIAGE_LIMITS.bodyChars, `must be at most ${TRIAGE_LIMITS.bodyChars} characters`))),
  bodyText: z.optional(z.string().check(z.maxLength(TRIAGE_LIMITS.bodyChars, `must be at most ${TRIAGE_LIMITS.bodyChars} characters`))),
  attachments: z._default(z
    .array(z.strictObject({ name: z.string().check(z.maxLength(500)), contentType: z.string().check(z.maxLength(200)), size: z.number().check(z.int(), z.nonnegative()) }))
    .check(z.maxLength(TRIAGE_LIMITS.attachments)), []),
});
export type EmailInput = z.infer<typeof EmailInputSchema>;

/** Signs that the email tries to instruct the agent, hide text, or exfiltrate. */
export const SIGNAL_KINDS = [
  'instruction_override', // "ignore previous instructions", "you are now…"
  'authority_claim', // "approved by the CEO", "on behalf of IT"
  'autonomy_or_settings', // asks to raise autonomy, change settings, disable checks
  'destructive_request', // delete data, wipe, drop
  'exfiltration', // send data/credentials somewhere, forward all mail
  'markdown_image', // ![x](https://…) that would load a URL
  'hidden_text', // text hidden by CSS, comments, tiny or same-colour fonts
  'invisible_characters', // zero-width or bidi controls
  'encoded_content', // base64/hex/rot13 blobs that decode to instructions
  'agent_addressed', // text addressed to an AI/assistant/agent
  'deceptive_link', // link text shows one host, href goes to another
  'lookalike_domain', // the sender's or a link's domain is a recipient's own, disguised (examp1e-hr for example)
  'sensitive_data', // a proposed action carries a card number, IBAN, one-time code, password or key
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SignalSchema = z.strictObject({
  kind: z.enum(SIGNAL_KINDS),
  /** The text that triggered it, cut to a readable length; shown to people as plain text. */
  text: z.string().check(z.maxLength(500)),
  where: z.enum(['subject', 'body', 'hidden', 'link', 'attachment', 'sender', 'model']),
  explanation: z.string().check(z.maxLength(300)),
});
export type Signal = z.infer<typeof SignalSchema>;

export const LinkSchema = z.strictObject({ text: z.string().check(z.maxLength(500)), href: z.string().check(z.maxLength(2_000)), host: z.string().check(z.maxLength(300)) });
export type EmailLink = z.infer<typeof LinkSchema>;

/** The deterministic part of sanitise: what the HTML and text reduce to. */
export const CleanEmailSchema = z.strictObject({
  subject: z.string(),
  from: Recipient,
  to: z.array(Recipient),
  cc: z.array(Recipient),
  receivedAt: z.string(),
  text: z.string().check(z.maxLength(TRIAGE_LIMITS.sanitisedChars + 200)),
  links: z.array(LinkSchema).check(z.maxLength(200)),
  attachments: EmailInputSchema.shape.attachments,
  signals: z.array(SignalSchema).check(z.maxLength(100)),
  notices: z.array(z.string().check(z.maxLength(300))).check(z.maxLength(20)),
});
export type CleanEmail = z.infer<typeof CleanEmailSchema>;

/** What the model (or the offline extractor) pulls out of the clean text: facts, not instructions. */
export const FactsSchema = z.strictObject({
  summary: z.string().check(z.minLength(1), z.maxLength(TRIAGE_LIMITS.summaryChars)),
  asks: z.array(z.string().check(z.maxLength(500))).check(z.maxLength(20)),
  dates: z.array(z.strictObject({ text: z.string().check(z.maxLength(200)), date: z.optional(z.iso.date()) })).check(z.maxLength(20)),
  people: z.array(z.strictObject({ name: z.string().check(z.maxLength(200)), email: z.optional(EmailAddress) })).check(z.maxLength(30)),
  issueKeys: z.array(IssueKey).check(z.maxLength(20)),
});
export type Facts = z.infer<typeof FactsSchema>;

/** Sanitise's whole output, and the only input classify ever sees: the raw text is not in it. */
export const SanitisedEmailSchema = z.strictObject({
  subject: z.string().check(z.maxLength(2_000)),
  from: Recipient,
  toCount: z.number().check(z.int()),
  ccCount: z.number().check(z.int()),
  receivedAt: z.string(),
  facts: FactsSchema,
  links: z.array(LinkSchema).check(z.maxLength(200)),
  attachments: EmailInputSchema.shape.attachments,
  signals: z.array(SignalSchema).check(z.maxLength(100)),
  notices: z.array(z.string().check(z.maxLength(300))).check(z.maxLength(20)),
});
export type SanitisedEmail = z.infer<typeof SanitisedEmailSchema>;

export const CATEGORIES = {
  deadline_change: 'A date, deadline or milestone moves',
  request: 'Someone asks for something to be done',
  status_update: 'Progress or status news',
  issue_report: 'A bug, incident or problem is reported',
  meeting: 'Scheduling or meeting logistics',
  fyi: 'For information; nothing to do',
  suspicious: 'Tries to instruct the agent, hide content or exfiltrate',
} as const;
export type Category = keyof typeof CATEGORIES;
export const CategorySchema = z.enum(Object.keys(CATEGORIES) as [Category, ...Category[]]);

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const PrioritySchema = z.enum(PRIORITIES);

/** Classify's output. Each action's payload is checked against the catalogue by the runner. */
export const ClassificationSchema = z.strictObject({
  category: CategorySchema,
  priority: PrioritySchema,
  actions: z
    .array(
      z.strictObject({
        actionType: ActionTypeSchema,
        payload: z.record(z.string(), z.unknown()),
        rationale: z.string().check(z.minLength(1), z.maxLength(2_000)),
        /** Set by classify's own builders and screening, never taken from a model: see origin.ts. */
        textOrigin: z.optional(DeclaredTextOriginSchema),
      }),
    )
    .check(z.maxLength(5)),
});
export type Classification = z.infer<typeof ClassificationSchema>;

export const TRIAGE_STATUSES = {
  complete: 'Triaged',
  needs_review: 'Needs a person to review: the automatic triage could not be trusted',
  capped: 'Not triaged: the model usage cap was reached',
} as const;
export type TriageStatus = keyof typeof TRIAGE_STATUSES;

export const TriageSchema = z.strictObject({
  messageKey: MessageKeySchema,
  internetMessageId: z.string(),
  /** The mailbox (the verified Outlook user, lower case) the email was triaged in; the result is that mailbox's alone. */
  mailbox: z.optional(z.string().check(z.maxLength(254))),
  /** Which triage of this email it is: 1 (or absent, from before re-triage existed) for the first; each re-triage adds one. Earlier ones are kept. */
  revision: z.optional(z.number().check(z.int(), z.positive())),
  status: z.enum(Object.keys(TRIAGE_STATUSES) as [TriageStatus, ...TriageStatus[]]),
  statusReason: z.nullable(z.string()),
  /** Which classifier ran: Claude through the Anthropic API, or the deterministic offline one. */
  classifier: z.enum(['claude', 'offline']),
  model: z.nullable(z.string()),
  category: z.nullable(CategorySchema),
  priority: z.nullable(PrioritySchema),
  issueKeys: z.array(IssueKey),
  summary: z.string(),
  facts: z.nullable(FactsSchema),
  signals: z.array(SignalSchema),
  links: z.array(LinkSchema),
  notices: z.array(z.string()),
  suggestions: z.array(SuggestionSchema),
  createdAt: z.string(),
});
export type Triage = z.infer<typeof TriageSchema>;

/** The answer of POST /v1/triage and GET /v1/triage/{messageKey}. */
export const TriageEnvelopeSchema = z.strictObject({ triage: TriageSchema, cached: z.boolean() });
export type TriageEnvelope = z.infer<typeof TriageEnvelopeSchema>;

/**
 * POST /v1/triage/{messageKey}/retriage: the mailbox owner asks for a fresh triage of the same email
 * (the body is the email again, re-sanitised; it must be the email the key names). The earlier
 * result is kept; suggestions from it still waiting (for a person, or in the hold queue) are
 * superseded, so two sets of the same suggestions never both wait. Audited; with an
 * Idempotency-Key a repeat gets the first answer and the model is not called again.
 */
export const RetriageResponseSchema = z.strictObject({
  triage: TriageSchema,
  /** The earlier suggestions this re-triage superseded (they can no longer be decided). */
  superseded: z.array(SuggestionId).check(z.maxLength(200)),
});
export type RetriageResponse = z.infer<typeof RetriageResponseSchema>;

/**
 * POST /v1/triage/{messageKey}/not-suspicious: the mailbox owner's judgement that a flagged email
 * is ordinary. Recorded in the audit trail (who, when, which email) and nothing else: text from
 * outside still never runs without an approval, so every suggestion from the email keeps needing one.
 */
export const NotSuspiciousRequestSchema = z.strictObject({ reason: z.optional(text(500)) });
export type NotSuspiciousRequest = z.infer<typeof NotSuspiciousRequestSchema>;
export const NotSuspiciousResponseSchema = z.strictObject({
  messageKey: z.string().check(z.regex(/^msg_[0-9a-f]{32}$/)),
  markedBy: ActorSchema,
  at: z.string(),
  /** What it changed, in words: nothing about how the email's suggestions may run. */
  effect: z.string(),
});
export type NotSuspiciousResponse = z.infer<typeof NotSuspiciousResponseSchema>;
