import { z } from 'zod';
import {
  BulkDecisionRequestSchema,
  InboxQuerySchema,
  RejectRequestSchema,
  type BulkItemResult,
  type InboxCounts,
  SettingsSchema,
  Sha256Hex,
  SuggestionId,
  text,
  type AuditEntry,
  type SettingsView,
  type Suggestion,
  type Viewer,
} from '@pm-agent/shared';

/**
 * The contract between the UI Kit pages and their resolvers: one strict payload schema per
 * resolver and the shape of every answer. The pages import only the types from here; the resolvers
 * parse every payload with these schemas before doing anything else.
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

export interface ResolverError {
  kind: ErrorKind;
  /** The heading, when the words table has one for this failure; otherwise the page titles it by `kind`. */
  title?: string;
  message: string;
  detail?: string;
  /** With `conflict`: the suggestion as it is now, so the approver can look again. */
  current?: Suggestion;
  /** With `conflict` on saving settings: the settings as they are now (someone changed them meanwhile). */
  currentSettings?: SettingsView;
  /** With `invalid_request`: which fields are wrong and why. */
  issues?: Array<{ path: string; message: string }>;
}

export type Result<T> = ({ ok: true } & T) | { ok: false; error: ResolverError };

export interface SuggestionItem {
  suggestion: Suggestion;
  /** For hold-queue items: milliseconds until it runs unless stopped (0 when due). Otherwise null. */
  holdLeftMs: number | null;
}

export interface ConnectionView {
  endpoint: string | null;
  region: string | null;
  /** The key pair itself is write-only: only whether it is set, and when it last changed. */
  credentials: { set: boolean; lastChangedAt: string | null };
}

export interface ConnectionCheck {
  name: 'health' | 'signed';
  label: string;
  ok: boolean;
  detail: string;
}

export interface ResultData {
  getIssueSuggestions: { issueKey: string; viewer: Viewer; items: SuggestionItem[] };
  getSuggestion: { item: SuggestionItem };
  approve: { item: SuggestionItem };
  reject: { item: SuggestionItem };
  stop: { item: SuggestionItem };
  getAdminConfig: { connection: ConnectionView };
  saveConnection: { connection: ConnectionView };
  testConnection: { checks: ConnectionCheck[] };
  getSettings: { view: SettingsView };
  saveSettings: { view: SettingsView };
  getAudit: { entries: AuditEntry[]; more: boolean };
  getInbox: { viewer: Viewer; items: SuggestionItem[]; counts: InboxCounts; total: number; next: string | null; left: Suggestion[] };
  decideMany: { results: BulkItemResult[] };
  inboxAct: { item: SuggestionItem };
  inboxAfter: { item: SuggestionItem };
  panelAfter: { item: SuggestionItem };
}

export type ResultOf<N extends ResolverName> = Result<ResultData[N]>;
