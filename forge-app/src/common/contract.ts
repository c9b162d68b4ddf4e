import { z } from 'zod';
import {
  AuditEntrySchema,
  BulkDecisionRequestSchema,
  BulkItemResultSchema,
  InboxCountsSchema,
  InboxQuerySchema,
  RejectRequestSchema,
  SettingsSchema,
  SettingsViewSchema,
  Sha256Hex,
  SuggestionId,
  SuggestionSchema,
  ViewerSchema,
  text,
} from '@pm-agent/shared';

/**
 * The contract between the UI Kit pages and their resolvers: one strict payload schema per
 * resolver and one per answer. The resolvers parse every payload with these schemas before doing
 * anything else; the pages parse every answer (bridge.ts) before showing anything of it.
 */

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The backend's base URL: https, or http only on this machine (the local stack). */
export const EndpointSchema = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .superRefine((s, ctx) => {
    const problem = endpointProblem(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((s) => s.replace(/\/+$/, ''));

function endpointProblem(s: string): string | undefined {
  if (!URL.canParse(s)) return 'must be a URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod';
  const url = new URL(s);
  if (!(url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)))) {
    return 'must use https (plain http is accepted only for 127.0.0.1 or localhost)';
  }
  if (url.search || url.hash || url.username || url.password) return 'must not contain a query, a fragment or a user name';
  return undefined;
}

export const RegionSchema = z.string().trim().regex(/^[a-z0-9-]{2,40}$/, 'must be an AWS region such as eu-west-1 (or "local" for the local stack)');
/** Messages never repeat the value: these fields carry credentials. */
const AccessKeyIdSchema = z.string().trim().regex(/^[A-Z0-9]{16,128}$/, 'must be an AWS access key id (16 to 128 capital letters and digits)');
const SecretAccessKeySchema = z.string().trim().regex(/^[\x21-\x7e]{16,256}$/, 'must be 16 to 256 visible characters without spaces');

const Empty = z.strictObject({});
const ById = z.strictObject({ id: SuggestionId });

/** `payloadHash`: of the payload the approver saw; an edit or retry is refused when it is stale. */
const AfterAct = z.discriminatedUnion('action', [
  z.strictObject({ id: SuggestionId, action: z.literal('undo') }),
  z.strictObject({ id: SuggestionId, action: z.literal('runNow'), payloadHash: Sha256Hex }),
  z.strictObject({ id: SuggestionId, action: z.literal('editHeld'), payloadHash: Sha256Hex, editedText: text(32_000) }),
  z.strictObject({ id: SuggestionId, action: z.literal('retry'), payloadHash: Sha256Hex, toStatus: z.string().trim().min(1, 'choose a status').max(255) }),
]);

export const PAYLOADS = {
  getIssueSuggestions: Empty,
  getSuggestion: ById,
  approve: z.strictObject({
    id: SuggestionId,
    /** The hash of the payload the approver saw. */
    payloadHash: Sha256Hex,
    /** Present for "Edit then approve": the new text of the action's editable field. */
    editedText: text(32_000).optional(),
  }),
  reject: z.strictObject({ id: SuggestionId, reason: RejectRequestSchema.shape.reason }),
  stop: ById,
  getAdminConfig: Empty,
  saveConnection: z
    .strictObject({
      endpoint: EndpointSchema,
      region: RegionSchema,
      accessKeyId: AccessKeyIdSchema.optional(),
      secretAccessKey: SecretAccessKeySchema.optional(),
    })
    .refine((p) => (p.accessKeyId === undefined) === (p.secretAccessKey === undefined), {
      message: 'enter the access key id and the secret access key together (or neither, to keep the stored pair)',
      path: ['secretAccessKey'],
    }),
  testConnection: Empty,
  getSettings: Empty,
  /** `version`: the settings version the page read; a change based on an older one is refused (conflict). */
  saveSettings: z.strictObject({ settings: SettingsSchema, version: z.number().int().min(0) }),
  getAudit: z.strictObject({ limit: z.number().int().min(1).max(200).optional() }),
  /** `watch`: suggestions the page shows or has selected; any that left this view come back in `left`, as they are now. */
  getInbox: InboxQuerySchema.extend({ watch: z.array(SuggestionId).max(100).optional() }),
  decideMany: BulkDecisionRequestSchema,
  /** Dismiss, "ask the agent to redo" (with guidance), or reopen within the undo window, from the inbox. */
  inboxAct: z.discriminatedUnion('action', [
    z.strictObject({ id: SuggestionId, action: z.literal('dismiss') }),
    z.strictObject({ id: SuggestionId, action: z.literal('reopen') }),
    z.strictObject({ id: SuggestionId, action: z.literal('respond'), guidance: text(1_000) }),
  ]),
  /** After the fact, from the inbox: undo, run a held item now or edit it, retry a failed status change. */
  inboxAfter: AfterAct,
  /** The same from the issue panel, for suggestions on its own issue. */
  panelAfter: AfterAct,
} as const;

export type ResolverName = keyof typeof PAYLOADS;
export const RESOLVER_NAMES = Object.keys(PAYLOADS) as ResolverName[];
export type PayloadOf<N extends ResolverName> = z.input<(typeof PAYLOADS)[N]>;
export type ParsedPayloadOf<N extends ResolverName> = z.output<(typeof PAYLOADS)[N]>;

/** What went wrong, in words for the person at the page. `detail` is the precise technical reason. */
export const ERROR_KINDS = [
  'not_configured',
  'unreachable',
  'auth',
  'not_approver',
  'not_allowed',
  'conflict',
  'unprocessable',
  'invalid_request',
  'not_found',
  'busy',
  'backend_error',
  'internal',
  /** The person stopped waiting (the page's Cancel): not a failure of the app or the backend. */
  'cancelled',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** What went wrong, as the pages get it: checked there like every answer (bridge.ts). */
export const ResolverErrorSchema = z.strictObject({
  kind: z.enum(ERROR_KINDS),
  /** The heading, when the words table has one for this failure; otherwise the page titles it by `kind`. */
  title: z.string().optional(),
  message: z.string(),
  /** The precise technical reason, behind "Details". */
  detail: z.string().optional(),
  /** With `conflict`: the suggestion as it is now, so the approver can look again. */
  current: SuggestionSchema.optional(),
  /** With `conflict` on saving settings: the settings as they are now (someone changed them meanwhile). */
  currentSettings: SettingsViewSchema.optional(),
  /** With `invalid_request`: which fields are wrong and why. */
  issues: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
});
export type ResolverError = z.infer<typeof ResolverErrorSchema>;

export type Result<T> = ({ ok: true } & T) | { ok: false; error: ResolverError };

const SuggestionItemSchema = z.strictObject({
  suggestion: SuggestionSchema,
  /** For hold-queue items: milliseconds until it runs unless stopped (0 when due). Otherwise null. */
  holdLeftMs: z.number().nullable(),
});
export type SuggestionItem = z.infer<typeof SuggestionItemSchema>;

const ConnectionViewSchema = z.strictObject({
  endpoint: z.string().nullable(),
  region: z.string().nullable(),
  /** The key pair itself is write-only: only whether it is set, and when it last changed. */
  credentials: z.strictObject({ set: z.boolean(), lastChangedAt: z.string().nullable() }),
});
export type ConnectionView = z.infer<typeof ConnectionViewSchema>;

const ConnectionCheckSchema = z.strictObject({ name: z.enum(['health', 'signed']), label: z.string(), ok: z.boolean(), detail: z.string() });
export type ConnectionCheck = z.infer<typeof ConnectionCheckSchema>;

const ONE_ITEM = z.strictObject({ item: SuggestionItemSchema });

/**
 * What each resolver answers when it succeeds: one schema per resolver, the pages' check of every
 * answer (bridge.ts) and the source of its type.
 */
export const RESULTS = {
  getIssueSuggestions: z.strictObject({ issueKey: z.string(), viewer: ViewerSchema, items: z.array(SuggestionItemSchema) }),
  getSuggestion: ONE_ITEM,
  approve: ONE_ITEM,
  reject: ONE_ITEM,
  stop: ONE_ITEM,
  getAdminConfig: z.strictObject({ connection: ConnectionViewSchema }),
  saveConnection: z.strictObject({ connection: ConnectionViewSchema }),
  testConnection: z.strictObject({ checks: z.array(ConnectionCheckSchema) }),
  getSettings: z.strictObject({ view: SettingsViewSchema }),
  saveSettings: z.strictObject({ view: SettingsViewSchema }),
  getAudit: z.strictObject({ entries: z.array(AuditEntrySchema), more: z.boolean() }),
  getInbox: z.strictObject({ viewer: ViewerSchema, items: z.array(SuggestionItemSchema), counts: InboxCountsSchema, total: z.number().int().min(0), next: z.string().nullable(), left: z.array(SuggestionSchema) }),
  decideMany: z.strictObject({ results: z.array(BulkItemResultSchema) }),
  inboxAct: ONE_ITEM,
  inboxAfter: ONE_ITEM,
  panelAfter: ONE_ITEM,
} satisfies Record<ResolverName, z.ZodType>;

export type ResultData = { [N in ResolverName]: z.infer<(typeof RESULTS)[N]> };

export type ResultOf<N extends ResolverName> = Result<ResultData[N]>;

/** The whole answer of resolver `name`: its result with `ok: true`, or a failure in words. */
export function answerSchema<N extends ResolverName>(name: N): z.ZodType<ResultOf<N>> {
  return z.union([RESULTS[name].extend({ ok: z.literal(true) }), z.strictObject({ ok: z.literal(false), error: ResolverErrorSchema })]) as unknown as z.ZodType<ResultOf<N>>;
}
