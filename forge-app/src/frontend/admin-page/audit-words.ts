import { ACTION_CATALOGUE, AUTONOMY_LEVELS, BOUNDARY_INFO, approversOf, describeApprover, type ActionType, type Approver, type AuditEntry, type AutonomyLevel, type Boundary } from '@pm-agent/shared';
import { fieldName } from './field-names';

/** The audit trail in words: what each entry's action means, and which filter it belongs to. Tables as data. */

export type AuditKind = 'decisions' | 'settings' | 'agent' | 'runs';

export const AUDIT_FILTERS: Array<{ value: AuditKind | 'all'; label: string }> = [
  { value: 'all', label: 'Everything' },
  { value: 'decisions', label: 'Decisions by people' },
  { value: 'settings', label: 'Settings changes' },
  { value: 'agent', label: 'The agent’s proposals and triage' },
  { value: 'runs', label: 'Actions carried out' },
];

/** "“Comment on a Jira issue” on ABC-123": the action and, when the entry names one, its issue. */
const what = (e: AuditEntry): string => {
  const { actionType: type, issueKey } = e.details as { actionType?: string; issueKey?: unknown };
  const label = type && type in ACTION_CATALOGUE ? `“${ACTION_CATALOGUE[type as ActionType].label}”` : 'a suggestion';
  return typeof issueKey === 'string' && /^[A-Z][A-Z0-9_]+-\d+$/.test(issueKey) ? `${label} on ${issueKey}` : label;
};

const AUDIT_WORDS: Record<string, { kind: AuditKind; says: (e: AuditEntry) => string }> = {
  'suggestion.created': { kind: 'agent', says: (e) => `proposed ${what(e)}` },
  'suggestion.refused': { kind: 'agent', says: (e) => `tried a never-do action (${e.subject}); it was refused` },
  'triage.completed': { kind: 'agent', says: () => 'triaged an email' },
  'triage.marked_not_suspicious': { kind: 'decisions', says: () => 'marked a flagged email as not suspicious (its suggestions still need approval)' },
  'suggestion.approved': { kind: 'decisions', says: (e) => `approved ${what(e)}` },
  'suggestion.handed_over': { kind: 'decisions', says: (e) => `approved ${what(e)} to send it themselves` },
  'suggestion.rejected': { kind: 'decisions', says: (e) => `rejected ${what(e)}` },
  'suggestion.stopped': { kind: 'decisions', says: (e) => `stopped ${what(e)}` },
  'suggestion.expired': { kind: 'decisions', says: () => 'let a suggestion expire' },
  'settings.updated': { kind: 'settings', says: () => 'changed the settings' },
  'autonomy.changed': { kind: 'settings', says: (e) => `changed the autonomy level to ${level((e.details as { to?: string }).to)}` },
  'agent.paused': { kind: 'settings', says: () => 'paused the agent' },
  'agent.resumed': { kind: 'settings', says: () => 'resumed the agent' },
  'approver.added': { kind: 'settings', says: (e) => `added ${person(e, 'person')} as approver` },
  'approver.removed': { kind: 'settings', says: (e) => `removed ${person(e, 'person')} as approver` },
  'approver.changed': { kind: 'settings', says: (e) => `changed approver ${person(e, 'was')} to ${person(e, 'person')}` },
  'hold.rescheduled': { kind: 'runs', says: () => 'moved a hold timer after a pause' },
  'execution.started': { kind: 'runs', says: (e) => `started ${what(e)}` },
  'suggestion.executed': { kind: 'runs', says: (e) => `carried out ${what(e)}` },
  'suggestion.failed': { kind: 'runs', says: (e) => `could not carry out ${what(e)}` },
  'execution.refused': { kind: 'runs', says: (e) => `refused to carry out ${what(e)}` },
  'execution.retrying': { kind: 'runs', says: () => 'will retry an action' },
  'execution.interrupted': { kind: 'runs', says: () => 'was interrupted while carrying out an action' },
};

/** "Pat Morgan (Jira + pat@example.com)": the person an approver entry names. */
function person(e: AuditEntry, key: 'person' | 'was'): string {
  const p = (e.details as Record<string, unknown>)[key] as Partial<Approver> | undefined;
  return p && typeof p.name === 'string' ? describeApprover(p as Approver) : 'someone';
}

function level(name: string | undefined): string {
  return name && name in AUTONOMY_LEVELS ? AUTONOMY_LEVELS[name as AutonomyLevel].label : String(name);
}

export function auditKind(e: AuditEntry): AuditKind | undefined {
  return AUDIT_WORDS[e.action]?.kind;
}

/** "approved “Comment on a Jira issue”": the verb phrase that follows who did it. */
export function auditSays(e: AuditEntry): string {
  return AUDIT_WORDS[e.action]?.says(e) ?? `recorded ${e.action.replace(/[._]/g, ' ')}`;
}

const minutesText = (v: unknown) => (typeof v === 'number' ? `${v} minute${v === 1 ? '' : 's'}` : 'the default');
const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;

/** How each setting's value reads in a before → after, as data; anything else as its plain value. */
const SETTING_VALUE_WORDS: Record<string, (v: unknown) => string> = {
  autonomyLevel: (v) => level(typeof v === 'string' ? v : undefined),
  paused: (v) => (v ? 'paused' : 'running'),
  holdDelayMinutes: minutesText,
  undoWindowMinutes: minutesText,
  // Both shapes: entries written before approvers were people hold two lists.
  approvers: (v) => {
    const list = approversOf(v);
    return list === undefined ? 'unreadable' : list.length === 0 ? 'nobody' : list.length <= 3 ? list.map(describeApprover).join(', ') : people(list.length);
  },
  boundaryOverrides: (v) => {
    const rows = Object.entries((v ?? {}) as Record<string, Boundary>).map(([type, b]) => `${type in ACTION_CATALOGUE ? ACTION_CATALOGUE[type as ActionType].label : type}: ${BOUNDARY_INFO[b]?.label ?? b}`);
    return rows.length ? rows.join(', ') : 'as the agent’s specification';
  },
};

function valueText(key: string, v: unknown): string {
  const words = SETTING_VALUE_WORDS[key];
  if (words) return words(v);
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return v === null || v === undefined ? 'not set' : JSON.stringify(v);
}

/** For settings changes: "Hold delay: 30 minutes → 45 minutes"; for decisions: the reason. Empty when there is nothing to add. */
export function auditDetails(e: AuditEntry): string {
  const d = e.details as { before?: Record<string, unknown>; after?: Record<string, unknown>; reason?: unknown };
  if (d.before && d.after) {
    return Object.keys(d.after)
      .map((k) => `${fieldName(k)}: ${valueText(k, d.before![k])} → ${valueText(k, d.after![k])}`)
      .join('; ');
  }
  return typeof d.reason === 'string' ? `Reason: ${d.reason}` : '';
}

/** The entries as CSV (RFC 4180 quoting; a leading = + - @ is neutralised so spreadsheets do not run it). */
export function auditCsv(entries: AuditEntry[], nameOf: (e: AuditEntry) => string): string {
  const cell = (v: string) => `"${(/^[=+\-@]/.test(v) ? `'${v}` : v).replace(/"/g, '""')}"`;
  const rows = entries.map((e) => [String(e.seq), e.at, nameOf(e), auditSays(e), auditDetails(e)].map(cell).join(','));
  return ['"#","When","Who","What","Details"', ...rows].join('\r\n');
}
