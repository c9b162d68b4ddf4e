import type { AuditEntry } from '@pm-agent/shared';
import { AUDIT_FILTERS, auditCsv, auditDetails, auditKind, auditSays } from '../src/frontend/admin-page/audit-words';

/** Issue 14 item 10: the audit trail in words, with the issue each entry is about. */
const entry = (action: string, details: Record<string, unknown>): AuditEntry =>
  ({ seq: 7, at: '2026-12-01T10:00:00.000Z', actor: { principal: 'forge', id: '712020:abc', name: 'Pat Morgan' }, action, subject: 'sug_1', details, prevHash: 'x', hash: 'y' }) as unknown as AuditEntry;

describe('audit entries in words', () => {
  it('a decision names the action and its issue: "approved “Comment on a Jira issue” on ABC-123"', () => {
    expect(auditSays(entry('suggestion.approved', { actionType: 'jira_comment', issueKey: 'ABC-123' }))).toBe('approved “Comment on a Jira issue” on ABC-123');
    expect(auditSays(entry('suggestion.executed', { actionType: 'jira_comment', issueKey: 'ABC-123' }))).toBe('carried out “Comment on a Jira issue” on ABC-123');
  });

  it('without an issue (an email reply) it names the action alone; a malformed issue key is not shown', () => {
    expect(auditSays(entry('suggestion.rejected', { actionType: 'email_external' }))).toMatch(/^rejected “[^”]+”$/);
    expect(auditSays(entry('suggestion.approved', { actionType: 'jira_comment', issueKey: '=HYPERLINK("x")' }))).toBe('approved “Comment on a Jira issue”');
  });

  it('"Not suspicious" from the Outlook pane is a decision by a person, said with what it does not change', () => {
    const e = entry('triage.marked_not_suspicious', { internetMessageId: '<m@x>' });
    expect(auditKind(e)).toBe('decisions');
    expect(auditSays(e)).toBe('marked a flagged email as not suspicious (its suggestions still need approval)');
  });

  it('an approver change names the person and how they approve, and is a settings change', () => {
    const pat = { name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' };
    const added = entry('approver.added', { person: pat });
    expect(auditSays(added)).toBe('added Pat Morgan (Jira + pat@example.com) as approver');
    expect(auditKind(added)).toBe('settings');
    expect(auditSays(entry('approver.removed', { person: { name: 'Dana Lee', email: 'dana@example.com' } }))).toBe('removed Dana Lee (dana@example.com) as approver');
    expect(auditSays(entry('approver.changed', { person: { ...pat, name: 'Pat Morgan-Lee' }, was: { name: 'Pat Morgan', jiraAccountId: '712020:pat' } }))).toBe(
      'changed approver Pat Morgan (Jira) to Pat Morgan-Lee (Jira + pat@example.com)',
    );
  });

  it('a settings change says before → after in words: minutes (1 minute, not 1 minutes), levels, the pause, boundaries, people', () => {
    const change = (before: Record<string, unknown>, after: Record<string, unknown>) => auditDetails(entry('settings.updated', { changed: Object.keys(after), before, after }));
    expect(change({ holdDelayMinutes: 30 }, { holdDelayMinutes: 1 })).toBe('Hold delay: 30 minutes → 1 minute');
    expect(change({ undoWindowMinutes: null }, { undoWindowMinutes: 1 })).toBe('Undo window: the default → 1 minute');
    expect(change({ autonomyLevel: 'manual', paused: false }, { autonomyLevel: 'assisted', paused: true })).toBe('Autonomy level: Manual → Assisted; Pause switch: running → paused');
    expect(change({ boundaryOverrides: {} }, { boundaryOverrides: { jira_comment: 'approval' } })).toBe('Decision boundaries: as the agent’s specification → Comment on a Jira issue: Needs approval');
    expect(change({ approvers: [] }, { approvers: [{ name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' }] })).toBe('Approvers: nobody → Pat Morgan (Jira + pat@example.com)');
  });

  it('entries written before approvers were people (two lists) still read in words', () => {
    const old = { jiraAccountIds: ['712020:pat'], emails: ['pat@example.com'] };
    expect(auditDetails(entry('settings.updated', { changed: ['approvers'], before: { approvers: { jiraAccountIds: [], emails: [] } }, after: { approvers: old } }))).toBe(
      'Approvers: nobody → Jira approver 1 (imported: enter their name) (Jira), pat@example.com',
    );
    const many = { jiraAccountIds: ['a1', 'a2', 'a3'], emails: ['x@example.com'] };
    expect(auditDetails(entry('settings.updated', { changed: ['approvers'], before: { approvers: old }, after: { approvers: many } }))).toMatch(/ → 4 people$/);
  });

  it('every filter but Everything has at least one kind of entry in it', () => {
    const kinds = ['suggestion.approved', 'settings.updated', 'approver.added', 'suggestion.created', 'suggestion.executed'].map((a) => auditKind(entry(a, {})));
    for (const f of AUDIT_FILTERS.filter((x) => x.value !== 'all')) expect(kinds).toContain(f.value);
  });

  it('the CSV carries the same words', () => {
    expect(auditCsv([entry('suggestion.approved', { actionType: 'jira_comment', issueKey: 'ABC-123' })], () => 'Pat Morgan')).toContain('"Pat Morgan","approved “Comment on a Jira issue” on ABC-123"');
  });
});
