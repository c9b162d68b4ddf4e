import { DEFAULT_SETTINGS, SettingsSchema, approverByAccountId, approverByEmail, approversFromLegacy, approversOf, describeApprover, describeIssues, upgradeSettingsDoc } from '../src';

const PAT = { name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' };
const SAM = { name: 'Sam Lee', jiraAccountId: '712020:sam' };
const DANA = { name: 'Dana Lee', email: 'dana@example.com' };

describe('approvers are one list of people', () => {
  it('accepts people with a name and a Jira account, an email, or both', () => {
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, approvers: [PAT, SAM, DANA] }).success).toBe(true);
  });

  it('refuses a person with neither a Jira account nor an email, or without a name, in words', () => {
    const none = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, approvers: [{ name: 'Nobody' }] });
    expect(describeIssues(none.error!)).toEqual([{ path: 'approvers.0', message: 'needs a Jira account, an email address, or both' }]);
    const blank = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, approvers: [{ name: '  ', email: 'x@example.com' }] });
    expect(describeIssues(blank.error!)).toEqual([{ path: 'approvers.0.name', message: 'must not be blank' }]);
  });

  it('refuses the same Jira account or email (any case) on two people, naming the row it is already on', () => {
    const twice = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, approvers: [PAT, { name: 'Pat again', jiraAccountId: '712020:pat', email: 'PAT@example.com' }] });
    expect(describeIssues(twice.error!)).toEqual([
      { path: 'approvers.1.jiraAccountId', message: 'this Jira account is already on Pat Morgan’s row' },
      { path: 'approvers.1.email', message: 'PAT@example.com is already on Pat Morgan’s row' },
    ]);
  });

  it('finds the person by verified account id (exactly) or email (any case), and nobody else', () => {
    const people = [PAT, SAM, DANA];
    expect(approverByAccountId(people, '712020:sam')).toBe(SAM);
    expect(approverByAccountId(people, '712020:SAM')).toBeUndefined();
    expect(approverByEmail(people, 'Dana@Example.com')).toBe(DANA);
    expect(approverByEmail(people, 'mallory@example.com')).toBeUndefined();
    expect(approverByAccountId(people, 'dana@example.com')).toBeUndefined();
  });

  it('describes a person by name and how they approve', () => {
    expect([PAT, SAM, DANA, { name: 'kim@example.com', email: 'Kim@example.com' }].map(describeApprover)).toEqual(['Pat Morgan (Jira + pat@example.com)', 'Sam Lee (Jira)', 'Dana Lee (dana@example.com)', 'kim@example.com']);
  });
});

describe('settings stored in the old shape (two lists) upgrade to people', () => {
  const OLD = { ...DEFAULT_SETTINGS, approvers: { jiraAccountIds: ['712020:pat', '712020:sam', '712020:pat'], emails: ['pat@example.com', 'Dana@example.com', 'dana@EXAMPLE.com'] } };

  it('every account and every email becomes a person; repeats collapse; nothing is guessed to be one person', () => {
    const settings = SettingsSchema.parse(upgradeSettingsDoc(OLD));
    expect(settings.approvers).toEqual([
      { name: 'Jira approver 1 (imported: enter their name)', jiraAccountId: '712020:pat' },
      { name: 'Jira approver 2 (imported: enter their name)', jiraAccountId: '712020:sam' },
      { name: 'pat@example.com', email: 'pat@example.com' },
      { name: 'Dana@example.com', email: 'Dana@example.com' },
    ]);
    expect({ ...settings, approvers: undefined }).toEqual({ ...OLD, approvers: undefined });
  });

  it('never loses an approver: everyone the old lists allowed is allowed after, and nobody else', () => {
    const people = approversFromLegacy({ jiraAccountIds: ['a1', 'a2'], emails: ['e1@example.com', 'E2@example.com'] });
    for (const id of ['a1', 'a2']) expect(approverByAccountId(people, id)).toBeDefined();
    for (const e of ['e1@example.com', 'e2@example.com']) expect(approverByEmail(people, e)).toBeDefined();
    expect(approverByAccountId(people, 'e1@example.com')).toBeUndefined();
    expect(approverByEmail(people, 'a1')).toBeUndefined();
  });

  it('the biggest old lists (500 accounts and 500 emails) still fit', () => {
    const jiraAccountIds = Array.from({ length: 500 }, (_, i) => `712020:a${i}`);
    const emails = Array.from({ length: 500 }, (_, i) => `p${i}@example.com`);
    expect(SettingsSchema.parse(upgradeSettingsDoc({ ...DEFAULT_SETTINGS, approvers: { jiraAccountIds, emails } })).approvers).toHaveLength(1_000);
  });

  it('a document already in the new shape, or not settings at all, passes through untouched', () => {
    const now = { ...DEFAULT_SETTINGS, approvers: [PAT] };
    expect(upgradeSettingsDoc(now)).toBe(now);
    expect(upgradeSettingsDoc(null)).toBe(null);
    expect(approversOf([PAT])).toEqual([PAT]);
    expect(approversOf({ jiraAccountIds: ['712020:x'], emails: [] })).toEqual([{ name: 'Jira approver 1 (imported: enter their name)', jiraAccountId: '712020:x' }]);
    expect(approversOf('nonsense')).toBeUndefined();
  });
});
