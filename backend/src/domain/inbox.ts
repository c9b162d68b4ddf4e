import {
  ACTION_CATALOGUE,
  INBOX_GROUP_NAMES,
  INBOX_PAGE_MAX,
  groupOf,
  type InboxCounts,
  type InboxPage,
  type InboxQuery,
  type Suggestion,
} from '@pm-agent/shared';
import { problems } from './problem';

/**
 * The inbox as a pure function over the suggestions a viewer may see: filters, search, counts per
 * state group, newest first, paged by a cursor (the last item's createdAt and id), so a page stays
 * stable while new suggestions arrive.
 */
export const INBOX_DEFAULT_LIMIT = 20;

/**
 * "Contains text from outside": the suggestion carries text an email or someone's Jira text put
 * there. Until suggestions record the origin of each field, the provenance source stands in:
 * everything that did not come from the agent's own run counts as outside text.
 */
export function containsOutsideText(s: Suggestion): boolean {
  return s.provenance.source !== 'agent';
}

export function queryInbox(all: readonly Suggestion[], q: InboxQuery): InboxPage {
  const needle = q.q?.trim().toLowerCase() ?? '';
  const base = all.filter((s) => matchesFilters(s, q) && (!needle || searchText(s).includes(needle)));
  const counts: InboxCounts = { all: base.length, waiting: 0, held: 0, done: 0, failed: 0, rejected: 0 };
  for (const s of base) counts[groupOf(s.state)] += 1;
  const group = q.group && q.group !== 'all' ? q.group : null;
  const inGroup = (group ? base.filter((s) => groupOf(s.state) === group) : base).sort(newestFirst);
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const start = after ? inGroup.findIndex((s) => newestFirst(s, after) > 0) : 0;
  const from = start < 0 ? inGroup.length : start;
  const limit = Math.min(q.limit ?? INBOX_DEFAULT_LIMIT, INBOX_PAGE_MAX);
  const items = inGroup.slice(from, from + limit);
  const last = items.at(-1);
  const next = last && from + limit < inGroup.length ? encodeCursor(last) : null;
  return { items, counts, total: inGroup.length, next };
}

function matchesFilters(s: Suggestion, q: InboxQuery): boolean {
  if (q.actionType && s.actionType !== q.actionType) return false;
  if (q.issue === 'none' && s.issueKey !== null) return false;
  if (q.issue && q.issue !== 'none' && s.issueKey !== q.issue) return false;
  if (q.source && s.provenance.source !== q.source) return false;
  if (q.outside && containsOutsideText(s) !== (q.outside === 'true')) return false;
  return true;
}

/** What a search looks through: the action's label, the issue, every payload value, the reasons and where it came from. */
function searchText(s: Suggestion): string {
  const parts = [ACTION_CATALOGUE[s.actionType].label, s.actionType, s.issueKey ?? '', s.rationale, s.provenance.title ?? '', s.provenance.ref, s.provenance.excerpt];
  for (const v of Object.values(s.payload)) parts.push(Array.isArray(v) ? v.join(' ') : String(v));
  return parts.join('\n').toLowerCase();
}

type Position = Pick<Suggestion, 'createdAt' | 'id'>;

/** Newest first; ties broken by id so the order is total. */
function newestFirst(a: Position, b: Position): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function encodeCursor(s: Position): string {
  return Buffer.from(`${s.createdAt}|${s.id}`).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || Number.isNaN(Date.parse(createdAt)) || !id.startsWith('sug_')) {
    throw problems.badRequest('cursor is not one this inbox returned. Start again from the first page.');
  }
  return { createdAt, id };
}

export { INBOX_GROUP_NAMES };
