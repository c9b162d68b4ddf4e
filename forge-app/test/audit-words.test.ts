import type { AuditEntry } from '@pm-agent/shared';
import { auditCsv, auditKind, auditSays } from '../src/frontend/admin-page/audit-words';

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

  it('the CSV carries the same words', () => {
    expect(auditCsv([entry('suggestion.approved', { actionType: 'jira_comment', issueKey: 'ABC-123' })], () => 'Pat Morgan')).toContain('"Pat Morgan","approved “Comment on a Jira issue” on ABC-123"');
  });
});
