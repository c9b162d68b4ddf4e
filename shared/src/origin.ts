import * as z from 'zod';
import type { ActionType } from './actions';
import { sensitiveFindings, type SensitiveFinding } from './sensitive';
import { IssueKey } from './text';

/**
 * Where each piece of payload text came from, and whether that lets it run without a person.
 *
 * - `facts`: composed by the agent from validated structured facts through a fact template below.
 *   It is not taken on trust: the text must be exactly what the template makes of the facts, which
 *   pass strict schemas (dates, issue keys, a host name), so no sentence from outside can be in it.
 * - `internal`: the agent's own internal source (heartbeat, artefact computed from structured data),
 *   only for suggestions whose provenance is the agent itself.
 * - `untrusted`: copied or paraphrased from outside content (an email, someone else's Jira text) or
 *   written by a model that read it. Derived text stays untrusted: a model summary of an email is.
 * - `human`: written or edited by an approver. It ran past a person, but it is not trusted for auto.
 *
 * Anything not declared, or declared but not provable, counts as untrusted (or internal, for the
 * agent's own provenance), so a missing or forged claim can only make an action stricter.
 */
export const TEXT_ORIGINS = ['facts', 'internal', 'untrusted', 'human'] as const;
export type TextOrigin = (typeof TEXT_ORIGINS)[number];

/** Which origins may run without a human decision. Data, read by effectiveBoundary(). */
export const TRUSTED_FOR_AUTO: Record<TextOrigin, boolean> = { facts: true, internal: true, untrusted: false, human: false };

/** The weakest origin wins when a payload mixes them. */
const WEAKNESS: Record<TextOrigin, number> = { internal: 0, facts: 1, human: 2, untrusted: 3 };

/**
 * The free-text fields of each action type: the strings a person or another model will read.
 * Fields with a strict format (issue keys, project keys, addresses, ISO dates) carry no sentences.
 */
export const FREE_TEXT_FIELDS: Record<ActionType, readonly string[]> = {
  artefact_update: ['artefact', 'change'],
  heartbeat_log: ['note'],
  notification_internal: ['recipient', 'message'],
  jira_comment: ['body'],
  email_stakeholder: ['subject', 'body'],
  jira_status_change: ['toStatus'],
  email_external: ['subject', 'body'],
  jira_create_ticket: ['issueType', 'summary', 'description'],
  scope_change: ['summary', 'details'],
  milestone_change: ['milestone', 'reason'],
  delete_data: [],
  share_confidential: [],
  modify_integration_config: [],
  change_own_autonomy_level: [],
};

// ---- fact templates --------------------------------------------------------------------------

const IsoDate = z.iso.date();
/**
 * A host name only: letters, digits, dots and dashes, so no sentence fits in it. The sender picks
 * it, so words strung together with dashes ("grant-admin-to-ops.example") are refused too.
 */
const HostName = z
  .string()
  .check(z.maxLength(60), z.regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?\.){1,3}[a-z]{2,24}$/, 'must be a host name'))
  .check(z.refine((h) => h.split('.').every((label) => (label.match(/-/g) ?? []).length <= 1), 'must not string words together'));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "4 Dec", or "15 Jan 2027" when the year differs from the reference year. */
function day(iso: string, refYear: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1]}${y === refYear ? '' : ` ${y}`}`;
}

const DateMovesFacts = z.strictObject({
  senderDomain: HostName,
  receivedOn: IsoDate,
  issueKey: IssueKey,
  fromDate: z.optional(IsoDate),
  toDate: IsoDate,
});

/** Each template: the facts it takes (strict) and the only text it can make of them. */
export const FACT_TEMPLATES = {
  date_moves: {
    facts: DateMovesFacts,
    compose: (f: z.infer<typeof DateMovesFacts>): string => {
      const ref = f.receivedOn.slice(0, 4);
      const from = f.fromDate ? ` from ${day(f.fromDate, ref)}` : '';
      return `Email from ${f.senderDomain} on ${day(f.receivedOn, ref)}: the date for ${f.issueKey} moves${from} to ${day(f.toDate, ref)}.`;
    },
  },
} as const;
export type FactTemplateId = keyof typeof FACT_TEMPLATES;
const TEMPLATE_IDS = Object.keys(FACT_TEMPLATES) as [FactTemplateId, ...FactTemplateId[]];

/** The text a template makes of the facts, or undefined when the facts do not pass its schema. */
export function composeFromFacts(template: FactTemplateId, facts: unknown): string | undefined {
  const t = FACT_TEMPLATES[template];
  const parsed = t.facts.safeParse(facts);
  return parsed.success ? t.compose(parsed.data) : undefined;
}

// ---- schemas -----------------------------------------------------------------------------------

/** A span [start, end) of a field's text that was copied from outside, to be shown as quoted. */
const Span = z.strictObject({ start: z.number().check(z.int(), z.nonnegative()), end: z.number().check(z.int(), z.nonnegative()) });

const FactsOrigin = z.strictObject({ origin: z.literal('facts'), template: z.enum(TEMPLATE_IDS), facts: z.record(z.string(), z.unknown()) });
const InternalOrigin = z.strictObject({ origin: z.literal('internal') });
const UntrustedOrigin = z.strictObject({ origin: z.literal('untrusted'), quoted: z.optional(z.array(Span).check(z.maxLength(50))) });
const HumanOrigin = z.strictObject({ origin: z.literal('human'), by: z.string().check(z.maxLength(256)) });

/** What a proposer may declare: never `human`, which only the backend writes when a person edits. */
export const DeclaredFieldOriginSchema = z.discriminatedUnion('origin', [FactsOrigin, InternalOrigin, UntrustedOrigin]);
export const DeclaredTextOriginSchema = z.record(z.string(), DeclaredFieldOriginSchema);
export const FieldOriginSchema = z.discriminatedUnion('origin', [FactsOrigin, InternalOrigin, UntrustedOrigin, HumanOrigin]);
/** Per payload field, where its text came from. Stored on every suggestion and returned by the API. */
export const TextOriginSchema = z.record(z.string(), FieldOriginSchema);
export type FieldOrigin = z.infer<typeof FieldOriginSchema>;
export type DeclaredFieldOrigin = z.infer<typeof DeclaredFieldOriginSchema>;
export type TextOriginMap = z.infer<typeof TextOriginSchema>;

// ---- the rules -----------------------------------------------------------------------------------

export interface TrustInput {
  actionType: ActionType;
  payload: Record<string, unknown>;
  textOrigin?: TextOriginMap | undefined;
  provenance: { source: 'email' | 'jira_issue' | 'agent' };
}

export interface PayloadTrust {
  /** The weakest origin over the payload's free-text fields. */
  origin: TextOrigin;
  /** Each free-text field's origin after checking the claim. */
  fields: Record<string, TextOrigin>;
  /** Sensitive data anywhere in the payload; any finding forces approval. */
  sensitive: SensitiveFinding[];
}

/** One field's origin after checking the claim: a facts claim holds only if the template reproduces the text. */
export function fieldOrigin(value: unknown, declared: FieldOrigin | undefined, source: TrustInput['provenance']['source']): TextOrigin {
  const fallback: TextOrigin = source === 'agent' ? 'internal' : 'untrusted';
  if (!declared) return fallback;
  switch (declared.origin) {
    case 'facts':
      return typeof value === 'string' && composeFromFacts(declared.template, declared.facts) === value ? 'facts' : 'untrusted';
    case 'internal':
      return source === 'agent' ? 'internal' : 'untrusted';
    case 'human':
      return 'human';
    case 'untrusted':
      return 'untrusted';
  }
}

/** Where a payload's text came from and what sensitive data it holds: the input effectiveBoundary() needs. */
export function payloadTrust(input: TrustInput): PayloadTrust {
  const fields: Record<string, TextOrigin> = {};
  let origin: TextOrigin = 'internal';
  for (const field of FREE_TEXT_FIELDS[input.actionType]) {
    if (input.payload[field] === undefined) continue;
    const o = fieldOrigin(input.payload[field], input.textOrigin?.[field], input.provenance.source);
    fields[field] = o;
    if (WEAKNESS[o] > WEAKNESS[origin]) origin = o;
  }
  // Never-do payloads are free-form: any text in them counts as outside text.
  if (FREE_TEXT_FIELDS[input.actionType].length === 0 && Object.keys(input.payload).length > 0 && input.provenance.source !== 'agent') origin = 'untrusted';
  return { origin, fields, sensitive: sensitiveFindings(input.payload) };
}

/** Whether the payload may run without a human decision, as far as its text is concerned. */
export function trustedForAuto(trust: Pick<PayloadTrust, 'origin' | 'sensitive'>): boolean {
  return TRUSTED_FOR_AUTO[trust.origin] && trust.sensitive.length === 0;
}

/** What both panels call text from outside, by where it came from. */
export const OUTSIDE_TEXT_LABELS: Record<TrustInput['provenance']['source'], string> = {
  email: 'Contains text from an outside email',
  jira_issue: 'Contains text from a Jira issue someone else wrote',
  agent: 'Contains outside text',
};
export const QUOTED_LABEL = 'Quoted from outside: read it, do not trust it';

/** Whether a suggestion shows text from outside: the question the panels' lozenge and the inbox filter ask. */
export function containsOutsideText(input: TrustInput): boolean {
  return Object.values(payloadTrust(input).fields).includes('untrusted');
}

/** The origin map after a person edited `field`: that field becomes human-written. */
export function withHumanEdit(textOrigin: TextOriginMap | undefined, field: string, by: string): TextOriginMap {
  return { ...(textOrigin ?? {}), [field]: { origin: 'human', by } };
}

/** Text composed from pieces, some quoted from outside: the text and the quoted spans, for an untrusted origin. */
export function composeQuoted(parts: ReadonlyArray<string | { quote: string }>): { text: string; quoted: Array<{ start: number; end: number }> } {
  let text = '';
  const quoted: Array<{ start: number; end: number }> = [];
  for (const p of parts) {
    if (typeof p === 'string') text += p;
    else if (p.quote) {
      quoted.push({ start: text.length, end: text.length + p.quote.length });
      text += p.quote;
    }
  }
  return { text, quoted };
}

/** Splits a field's text into plain and quoted segments for display; spans outside the text are clamped. */
export function quotedSegments(text: string, resolved: TextOrigin | undefined, declared?: FieldOrigin): Array<{ text: string; quoted: boolean }> {
  if (resolved !== 'untrusted') return [{ text, quoted: false }];
  // Spans are only as good as the proposer's claim: without them, the whole field is shown as quoted.
  const spans = declared?.origin === 'untrusted' && declared.quoted?.length ? declared.quoted : [{ start: 0, end: text.length }];
  const out: Array<{ text: string; quoted: boolean }> = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(at, Math.min(s.start, text.length));
    const end = Math.max(start, Math.min(s.end, text.length));
    if (start > at) out.push({ text: text.slice(at, start), quoted: false });
    if (end > start) out.push({ text: text.slice(start, end), quoted: true });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at), quoted: false });
  return out.filter((s) => s.text.length > 0);
}
