import { DEFAULT_SETTINGS, type Approver, type Settings } from '@pm-agent/shared';
import { approverChanges } from '../src/domain/approver-changes';
import { isApprover, type Caller } from '../src/domain/caller';

/** Authorisation over one list of people, exactly as strict as over the two old lists. */
const PAT: Approver = { name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' };
const SAM: Approver = { name: 'Sam Lee', jiraAccountId: '712020:sam' };
const DANA: Approver = { name: 'Dana Lee', email: 'dana@example.com' };
const settings: Settings = { ...DEFAULT_SETTINGS, approvers: [PAT, SAM, DANA] };

const jira = (id: string, admin = false): Caller => ({ principal: 'forge', actor: { principal: 'forge', id }, admin });
const outlook = (email: string, name?: string): Caller => ({ principal: 'outlook', actor: { principal: 'outlook', id: email, ...(name ? { name } : {}) }, admin: false });

describe('who is an approver', () => {
  it('a Jira caller whose verified accountId is on a person is one (with or without an email on that person)', () => {
    expect(isApprover(jira('712020:pat'), settings)).toBe(true);
    expect(isApprover(jira('712020:sam'), settings)).toBe(true);
  });

  it('an Outlook caller whose verified email is on a person is one, in any case (with or without a Jira account on that person)', () => {
    expect(isApprover(outlook('pat@example.com'), settings)).toBe(true);
    expect(isApprover(outlook('DANA@Example.com'), settings)).toBe(true);
  });

  it('neither: someone on no person is not, nor is a name, nor an identity from the other channel, nor a Jira admin as such', () => {
    expect(isApprover(jira('712020:riley'), settings)).toBe(false);
    expect(isApprover(jira('712020:riley', true), settings)).toBe(false);
    expect(isApprover(outlook('riley@example.com', 'Pat Morgan'), settings)).toBe(false);
    // Dana approves from Outlook only; her email as a Jira id, or Sam's account as an Outlook id, is nobody.
    expect(isApprover(jira('dana@example.com'), settings)).toBe(false);
    expect(isApprover(outlook('712020:sam'), settings)).toBe(false);
    expect(isApprover(jira('712020:PAT'), settings)).toBe(false);
    expect(isApprover({ principal: 'agent', actor: { principal: 'agent', id: '712020:pat' }, admin: false }, settings)).toBe(false);
  });
});

describe('approver changes, person by person, for the audit trail', () => {
  it('names who was added, removed and changed; the same account or email is the same person', () => {
    const after: Approver[] = [{ ...PAT, name: 'Pat Morgan-Lee' }, DANA, { name: 'Kim Wu', email: 'kim@example.com' }];
    expect(approverChanges([PAT, SAM, DANA], after)).toEqual([
      { action: 'approver.changed', details: { person: { name: 'Pat Morgan-Lee', jiraAccountId: '712020:pat', email: 'pat@example.com' }, was: { name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' } } },
      { action: 'approver.added', details: { person: { name: 'Kim Wu', email: 'kim@example.com' } } },
      { action: 'approver.removed', details: { person: { name: 'Sam Lee', jiraAccountId: '712020:sam' } } },
    ]);
  });

  it('nothing when the same people come back in another key order, and no undefined fields in what is recorded', () => {
    expect(approverChanges([PAT], [{ email: 'pat@example.com', jiraAccountId: '712020:pat', name: 'Pat Morgan' }])).toEqual([]);
    const [added] = approverChanges([], [{ name: 'Dana', email: 'dana@example.com', jiraAccountId: undefined }]);
    expect(Object.keys(added!.details.person)).toEqual(['name', 'email']);
  });
});
