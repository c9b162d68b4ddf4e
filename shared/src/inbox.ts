import * as z from 'zod';
import { ActionTypeSchema } from './actions';
import type { SuggestionState } from './lifecycle';
import { Sha256Hex, SuggestionId, SuggestionSchema } from './schemas';
import { IssueKey, text } from './text';

/**
 * The approvals inbox: every suggestion a viewer may see, filtered, searched and paged, and the
 * bulk decision request. The state groups are the inbox's filters, as data.
 */
export const INBOX_GROUPS = {
  waiting: { label: 'Waiting for me', states: ['pending'] },
  held: { label: 'In the hold queue', states: ['scheduled'] },
  done: { label: 'Done', states: ['approved', 'executing', 'executed', 'handed_over', 'undoing'] },
  failed: { label: 'Failed', states: ['failed'] },
  rejected: { label: 'Rejected, dismissed, undone, sent back or replaced', states: ['rejected', 'stopped', 'expired', 'dismissed', 'returned', 'undone', 'superseded'] },
} as const satisfies Record<string, { label: string; states: readonly SuggestionState[] }>;
export type InboxGroup = keyof typeof INBOX_GROUPS;
export const INBOX_GROUP_NAMES = ['waiting', 'held', 'done', 'failed', 'rejected'] as const satisfies readonly InboxGroup[];
const INBOX_FILTERS = [...INBOX_GROUP_NAMES, 'all'] as const;

/** Each state's group, derived from the table above; total (a state in no group fails the shared tests). */
export const STATE_GROUP = Object.fromEntries(
  INBOX_GROUP_NAMES.flatMap((g) => (INBOX_GROUPS[g].states as readonly SuggestionState[]).map((state) => [state, g])),
) as Record<SuggestionState, InboxGroup>;

export function groupOf(state: SuggestionState): InboxGroup {
  return STATE_GROUP[state];
}

export const INBOX_SOURCES = ['email', 'jira_issue', 'agent'] as const;
export const INBOX_PAGE_MAX = 50;
export const INBOX_SEARCH_MAX = 200;

/** Query string of GET /v1/inbox. Everything optional; `issue=none` means "no issue key". */
export const InboxQuerySchema = z.strictObject({
  group: z.optional(z.enum(INBOX_FILTERS, { error: `must be one of: ${INBOX_FILTERS.join(', ')}` })),
  actionType: z.optional(ActionTypeSchema),
  issue: z.optional(z.union([IssueKey, z.literal('none')], { error: 'must be a Jira issue key such as ABC-123, or none' })),
  source: z.optional(z.enum(INBOX_SOURCES, { error: `must be one of: ${INBOX_SOURCES.join(', ')}` })),
  outside: z.optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  q: z.optional(z.string().check(z.maxLength(INBOX_SEARCH_MAX, `must be at most ${INBOX_SEARCH_MAX} characters`))),
  cursor: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be the cursor a previous page returned'))),
  limit: z.optional(z.coerce.number().check(z.int('must be a whole number'), z.gte(1, 'must be at least 1'), z.lte(INBOX_PAGE_MAX, `must be at most ${INBOX_PAGE_MAX}`))),
});
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

export const InboxCountsSchema = z.strictObject({
  all: z.number().check(z.int()),
  waiting: z.number().check(z.int()),
  held: z.number().check(z.int()),
  done: z.number().check(z.int()),
  failed: z.number().check(z.int()),
  rejected: z.number().check(z.int()),
});
export type InboxCounts = z.infer<typeof InboxCountsSchema>;

export const InboxPageSchema = z.strictObject({
  items: z.array(SuggestionSchema),
  /** Per state group, under the other filters and the search. */
  counts: InboxCountsSchema,
  /** How many match every filter (the page's whole list). */
  total: z.number().check(z.int()),
  /** Pass as `cursor` for the next page; null on the last page. */
  next: z.nullable(z.string()),
});
export type InboxPage = z.infer<typeof InboxPageSchema>;

export const BULK_MAX = 50;

export const BulkDecisionRequestSchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject'], { error: 'must be approve or reject' }),
    reason: z.optional(text(1_000)),
    items: z
      .array(z.strictObject({ id: SuggestionId, payloadHash: Sha256Hex }))
      .check(z.minLength(1, 'must list at least one suggestion'), z.maxLength(BULK_MAX, `must list at most ${BULK_MAX} suggestions per request; split the rest into another request`)),
  })
  .check(z.superRefine((req, ctx) => {
    const seen = new Set<string>();
    req.items.forEach((item, i) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', message: `lists ${item.id} twice; list each suggestion once`, path: ['items', i, 'id'] });
      seen.add(item.id);
    });
    if (req.decision === 'reject' && !req.reason) ctx.addIssue({ code: 'custom', message: 'is required to reject: say why, once for all the suggestions', path: ['reason'] });
  }));
export type BulkDecisionRequest = z.infer<typeof BulkDecisionRequestSchema>;

/** Per item: what happened. `changed` = its payload is not the one the approver saw. */
export const BULK_STATUSES = ['approved', 'rejected', 'changed', 'already_decided', 'not_found', 'refused'] as const;
export const BulkItemResultSchema = z.strictObject({
  id: z.string(),
  status: z.enum(BULK_STATUSES),
  message: z.string(),
  /** The suggestion as it is now (after the decision, or as it changed). */
  suggestion: z.optional(SuggestionSchema),
});
export type BulkItemResult = z.infer<typeof BulkItemResultSchema>;
export const BulkDecisionResponseSchema = z.strictObject({ batchId: z.string(), results: z.array(BulkItemResultSchema) });
export type BulkDecisionResponse = z.infer<typeof BulkDecisionResponseSchema>;
