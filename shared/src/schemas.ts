import * as z from 'zod';
import { ACTION_CATALOGUE, ActionTypeSchema } from './actions';
import { ApproverListSchema } from './approvers';
import { MessageKeySchema } from './keys';
import { AUTONOMY_LEVEL_NAMES } from './autonomy';
import { BOUNDARIES } from './boundaries';
import { PRINCIPALS } from './identity';
import { SUGGESTION_STATES } from './lifecycle';
import { DeclaredTextOriginSchema, TextOriginSchema } from './origin';
import { overrideProblem } from './policy';
import { EmailAddress, IssueKey, line, text } from './text';

/** Schemas for every body that crosses the API. Requests are strict: unknown fields are refused. */

export const Sha256Hex = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hash as 64 lower-case hex characters'));
export const SuggestionId = z.string().check(z.regex(/^sug_[0-9A-Za-z]{20,40}$/, 'must be a suggestion id such as sug_…'));
const Timestamp = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' });
const JsonObject = z.record(z.string(), z.unknown());

export const BoundarySchema = z.enum(BOUNDARIES);
export const StateSchema = z.enum(SUGGESTION_STATES);
export const AutonomyLevelSchema = z.enum(AUTONOMY_LEVEL_NAMES, {
  error: `must be one of: ${AUTONOMY_LEVEL_NAMES.join(', ')}`,
});

export const ProvenanceSchema = z.strictObject({
  source: z.enum(['email', 'jira_issue', 'agent']),
  /** Where it came from: an email's internetMessageId, an issue key, an agent run id. */
  ref: line(500),
  title: z.optional(line(300)),
  /** Untrusted excerpt, kept as plain text. */
  excerpt: text(2_000, 0),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const ActorSchema = z.strictObject({
  principal: z.enum([...PRINCIPALS, 'system']),
  id: z.string().check(z.minLength(1), z.maxLength(256)),
  name: z.optional(z.string().check(z.maxLength(256))),
  site: z.optional(z.string().check(z.maxLength(256))),
});
export type Actor = z.infer<typeof ActorSchema>;

/** Checks the payload against its action type's schema, reporting issues under `payload.…`. */
function payloadMatchesActionType(value: { actionType: keyof typeof ACTION_CATALOGUE; payload: unknown }, ctx: z.core.$RefinementCtx) {
  const result = ACTION_CATALOGUE[value.actionType].payload.safeParse(value.payload);
  if (result.success) return;
  for (const issue of result.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: ['payload', ...issue.path] });
  }
}

export const CreateSuggestionRequestSchema = z
  .strictObject({
    actionType: ActionTypeSchema,
    payload: JsonObject,
    rationale: text(4_000),
    provenance: ProvenanceSchema,
    /**
     * Per free-text field, where its text came from (origin.ts). Undeclared fields count as outside
     * text unless the provenance is the agent itself; a `facts` claim must reproduce the text exactly.
     */
    textOrigin: z.optional(DeclaredTextOriginSchema),
    expiresAt: z.optional(Timestamp),
    /** For a suggestion derived from an email: the mailbox it came from; only that mailbox's Outlook user sees it. */
    mailbox: z.optional(EmailAddress),
  })
  .check(z.superRefine(payloadMatchesActionType));
export type CreateSuggestionRequest = z.infer<typeof CreateSuggestionRequestSchema>;

export const ApproveRequestSchema = z.strictObject({
  /** The hash of the payload the approver saw (or of their edited payload). */
  payloadHash: Sha256Hex,
  /** Present only when the approver edited the payload. */
  payload: z.optional(JsonObject),
  /**
   * With an edit: the hash of the version the approver started editing from. The backend refuses
   * the edit if the suggestion has changed since, so nobody approves an edit of a stale view.
   */
  basePayloadHash: z.optional(Sha256Hex),
}).check(z.superRefine((req, ctx) => {
  // Without it the stale-view check cannot run: an edit always says which version it started from.
  if (req.payload !== undefined && req.basePayloadHash === undefined) {
    ctx.addIssue({ code: 'custom', path: ['basePayloadHash'], message: 'is required with an edited payload: send the hash of the version you started editing from' });
  }
}));
export type ApproveRequest = z.infer<typeof ApproveRequestSchema>;

export const RejectRequestSchema = z.strictObject({ reason: text(1_000) });
/** "Ask the agent to redo": guidance for the agent, kept on the suggestion. */
export const RespondRequestSchema = z.strictObject({ guidance: text(1_000) });
export type RespondRequest = z.infer<typeof RespondRequestSchema>;
/** "Run now" on a held item: the hash of the payload the approver saw. */
export const RunNowRequestSchema = z.strictObject({ payloadHash: Sha256Hex });
export type RunNowRequest = z.infer<typeof RunNowRequestSchema>;
/** Edit a held item before it runs: the edited payload, its hash, and the hash of the version the edit started from. */
export const EditHeldRequestSchema = z.strictObject({ payload: JsonObject, payloadHash: Sha256Hex, basePayloadHash: Sha256Hex });
export type EditHeldRequest = z.infer<typeof EditHeldRequestSchema>;
/** Retry a failed status change with another status: one of those Jira offered when it failed (result.offeredStatuses). */
export const RetryRequestSchema = z.strictObject({ payloadHash: Sha256Hex, toStatus: z.string().check(z.trim(), z.minLength(1, 'must name a status'), z.maxLength(255, 'must be at most 255 characters')) });
export type RetryRequest = z.infer<typeof RetryRequestSchema>;
export type RejectRequest = z.infer<typeof RejectRequestSchema>;

export const ListSuggestionsQuerySchema = z.strictObject({
  issueKey: z.optional(IssueKey),
  state: z.optional(StateSchema),
});
export type ListSuggestionsQuery = z.infer<typeof ListSuggestionsQuerySchema>;

export const ExecutionResultSchema = z.strictObject({
  ok: z.boolean(),
  summary: z.string().check(z.maxLength(2_000)),
  link: z.optional(z.string().check(z.maxLength(2_000))),
  at: Timestamp,
  /** A failed status change: the statuses Jira's workflow offered at that moment, for a retry with one of them. */
  offeredStatuses: z.optional(z.array(z.string().check(z.maxLength(255))).check(z.maxLength(50))),
});
export type ExecutionResult = z.infer<typeof ExecutionResultSchema>;

export const DecisionSchema = z.strictObject({
  kind: z.enum(['approved', 'rejected', 'stopped', 'expired', 'dismissed', 'returned', 'superseded']),
  by: ActorSchema,
  at: Timestamp,
  reason: z.optional(z.string().check(z.maxLength(1_000))),
  /** For approvals: the hash of the exact payload approved. */
  payloadHash: z.optional(Sha256Hex),
});
export type Decision = z.infer<typeof DecisionSchema>;

export const SuggestionSchema = z.strictObject({
  id: SuggestionId,
  actionType: ActionTypeSchema,
  payload: JsonObject,
  payloadHash: Sha256Hex,
  /** The agent's original payload when an approver edited it. */
  originalPayload: z.optional(JsonObject),
  edited: z.boolean(),
  issueKey: z.nullable(IssueKey),
  rationale: z.string(),
  provenance: ProvenanceSchema,
  /** Per free-text field, where its text came from; `payloadTrust()` turns it into what may run alone. */
  textOrigin: z.optional(TextOriginSchema),
  /** The mailbox an email-derived suggestion came from (lower case): its Outlook user alone sees it there. */
  mailbox: z.optional(z.string().check(z.maxLength(254))),
  /**
   * The email triage that proposed it: the message and which triage of it. Once the email is
   * triaged again, a closed suggestion of an earlier triage cannot be reopened (the new triage's
   * suggestions stand in its place). Absent on suggestions not from a triage, and on older ones.
   */
  triage: z.optional(z.strictObject({ messageKey: MessageKeySchema, revision: z.number().check(z.int(), z.positive()) })),
  boundary: BoundarySchema,
  state: StateSchema,
  createdBy: ActorSchema,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  expiresAt: z.nullable(Timestamp),
  /** When a hold-queue action will run unless stopped. */
  runAt: z.nullable(Timestamp),
  decision: z.nullable(DecisionSchema),
  result: z.nullable(ExecutionResultSchema),
  version: z.number().check(z.int(), z.positive()),
});
export type Suggestion = z.infer<typeof SuggestionSchema>;

export const SuggestionListSchema = z.strictObject({ items: z.array(SuggestionSchema) });
export type SuggestionList = z.infer<typeof SuggestionListSchema>;

export const SuggestionEnvelopeSchema = z.strictObject({ suggestion: SuggestionSchema });

const BoundaryOverridesSchema = z
  .partialRecord(ActionTypeSchema, BoundarySchema)
  .check(z.superRefine((overrides, ctx) => {
    for (const [type, boundary] of Object.entries(overrides)) {
      const problem = boundary && overrideProblem(type as keyof typeof ACTION_CATALOGUE, boundary);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, path: [type] });
    }
  }));

export const SettingsSchema = z.strictObject({
  autonomyLevel: AutonomyLevelSchema,
  boundaryOverrides: BoundaryOverridesSchema,
  /** The people who may approve: each with a name and a Jira account, an email, or both (approvers.ts). */
  approvers: ApproverListSchema,
  holdDelayMinutes: z.number().check(z.int(), z.gte(1, 'must be at least 1 minute'), z.lte(10_080, 'must be at most 7 days')),
  paused: z.boolean(),
  /**
   * How long an executed comment can be undone, and a rejection, dismissal or stop taken back
   * (reopened). Absent: UNDO_WINDOW_DEFAULT_MINUTES.
   */
  undoWindowMinutes: z.optional(z.number().check(z.int(), z.gte(1, 'must be at least 1 minute'), z.lte(1_440, 'must be at most 24 hours'))),
});
export const UNDO_WINDOW_DEFAULT_MINUTES = 15;
export type Settings = z.infer<typeof SettingsSchema>;

export const SettingsViewSchema = z.strictObject({
  settings: SettingsSchema,
  version: z.number().check(z.int(), z.nonnegative()),
  updatedAt: z.nullable(Timestamp),
  updatedBy: z.nullable(ActorSchema),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

export const AuditEntrySchema = z.strictObject({
  seq: z.number().check(z.int(), z.positive()),
  at: Timestamp,
  actor: ActorSchema,
  action: z.string(),
  subject: z.string(),
  details: JsonObject,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditPageSchema = z.strictObject({
  items: z.array(AuditEntrySchema),
  /** Pass as `after` to read on; null at the end. */
  next: z.nullable(z.number().check(z.int())),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

export const AuditQuerySchema = z.strictObject({
  after: z.optional(z.coerce.number().check(z.int('must be a whole number'), z.nonnegative('must not be negative'))),
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(500))),
});

export const HealthSchema = z.strictObject({
  status: z.literal('ok'),
  service: z.string(),
  version: z.string(),
  mode: z.enum(['local', 'aws']),
  time: Timestamp,
});
export type Health = z.infer<typeof HealthSchema>;

/** With a 409, what the thing is now: a suggestion (on approve) or the settings (on a settings change). */
export const ConflictCurrentSchema = z.union([SuggestionSchema, SettingsViewSchema]);

export const ERROR_CODES = [
  'bad_request',
  'not_found',
  'method_not_allowed',
  'conflict',
  'precondition_required',
  'payload_too_large',
  'unsupported_media_type',
  'unprocessable',
  'forbidden',
  'too_many_requests',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorBodySchema = z.object({
  error: z.enum(ERROR_CODES),
  message: z.string(),
  requestId: z.optional(z.string()),
  issues: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
  /** With 409: the suggestion (on approve) or the settings (on a settings change) as they are now, so the person can look again. */
  current: z.optional(ConflictCurrentSchema),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** Turns zod issues into `path: message` lines a person can act on. */
export function describeIssues(error: z.core.$ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((i) => ({ path: i.path.length ? i.path.join('.') : '(body)', message: issueMessage(i) }));
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) return 'is required';
  return issue.message;
}

/** What a panel needs to know about its viewer and the agent before it draws buttons. */
export const ViewerSchema = z.strictObject({
  actor: ActorSchema,
  canApprove: z.boolean(),
  paused: z.boolean(),
  autonomyLevel: AutonomyLevelSchema,
  holdDelayMinutes: z.number().check(z.int()),
  /** How long an executed comment can be undone, or a closed decision reopened. */
  undoWindowMinutes: z.optional(z.number().check(z.int())),
});
export type Viewer = z.infer<typeof ViewerSchema>;
