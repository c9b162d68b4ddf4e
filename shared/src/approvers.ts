import * as z from 'zod';
import { EmailAddress, line } from './text';

/**
 * Who may approve: one list of people. Each person has a name and a Jira account, an email
 * address, or (normally) both. A Jira caller is an approver iff their verified accountId is on some
 * person; an Outlook caller iff their verified email is (case-insensitive).
 */

export const JiraAccountId = z.string().check(z.regex(/^[A-Za-z0-9:_-]{1,128}$/, 'must be a Jira accountId'));

/** At most this many people (the old lists held at most 500 accounts and 500 emails, each its own person after the upgrade). */
export const MAX_APPROVERS = 1_000;

export const ApproverSchema = z
  .strictObject({
    /** How the admin page, the audit trail and the panels name the person. */
    name: line(200).check(z.refine((s) => s.trim().length > 0, 'must not be blank')),
    /** Approves from Jira (the issue panel, the inbox) with this account. */
    jiraAccountId: z.optional(JiraAccountId),
    /** Approves from Outlook with this identity. */
    email: z.optional(EmailAddress),
  })
  .check(z.refine((p) => p.jiraAccountId !== undefined || p.email !== undefined, { message: 'needs a Jira account, an email address, or both' }));
export type Approver = z.infer<typeof ApproverSchema>;

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The same Jira account or email on two people is refused, naming the row it is already on. One pass: settings are parsed on every request. */
export function duplicateProblems(people: readonly Approver[]): Array<{ index: number; field: 'jiraAccountId' | 'email'; message: string }> {
  const out: Array<{ index: number; field: 'jiraAccountId' | 'email'; message: string }> = [];
  const accounts = new Map<string, Approver>();
  const emails = new Map<string, Approver>();
  people.forEach((p, index) => {
    const byAccount = p.jiraAccountId === undefined ? undefined : accounts.get(p.jiraAccountId);
    if (byAccount) out.push({ index, field: 'jiraAccountId', message: `this Jira account is already on ${byAccount.name}’s row` });
    else if (p.jiraAccountId !== undefined) accounts.set(p.jiraAccountId, p);
    const byEmail = p.email === undefined ? undefined : emails.get(p.email.toLowerCase());
    if (byEmail) out.push({ index, field: 'email', message: `${p.email} is already on ${byEmail.name}’s row` });
    else if (p.email !== undefined) emails.set(p.email.toLowerCase(), p);
  });
  return out;
}

export const ApproverListSchema = z
  .array(ApproverSchema)
  .check(z.maxLength(MAX_APPROVERS, `must list at most ${MAX_APPROVERS} people`), z.superRefine((people, ctx) => {
    for (const d of duplicateProblems(people)) ctx.addIssue({ code: 'custom', message: d.message, path: [d.index, d.field] });
  }));

/** The approver a verified Jira account is, if any. */
export function approverByAccountId(people: readonly Approver[], accountId: string): Approver | undefined {
  return people.find((p) => p.jiraAccountId !== undefined && p.jiraAccountId === accountId);
}

/** The approver a verified email is, if any (case-insensitive). */
export function approverByEmail(people: readonly Approver[], email: string): Approver | undefined {
  return people.find((p) => p.email !== undefined && sameEmail(p.email, email));
}

/** "Pat Morgan (Jira + pat@example.com)", "Sam Lee (Jira)", "Dana Lee (dana@example.com)", "kim@example.com": the person and how they approve. */
export function describeApprover(p: Approver): string {
  // An upgraded email-only person is named by their address: it is not said twice.
  const email = p.email !== undefined && !sameEmail(p.email, p.name) ? p.email : undefined;
  const how = [p.jiraAccountId !== undefined ? 'Jira' : undefined, email].filter(Boolean).join(' + ');
  return how ? `${p.name} (${how})` : p.name;
}

/**
 * The shape settings had before approvers were people: two lists, one per channel. Kept so stored
 * settings and audit entries written then still read.
 */
export const LegacyApproversSchema = z.strictObject({
  jiraAccountIds: z.array(JiraAccountId),
  emails: z.array(EmailAddress),
});
export type LegacyApprovers = z.infer<typeof LegacyApproversSchema>;

/** The name an upgraded Jira-only approver gets until an admin types theirs (the old lists held no names). */
export const importedJiraName = (n: number) => `Jira approver ${n} (imported: enter their name)`;
/** Whether a name is still the one the upgrade gave: not a person's name, so nothing records it as one. */
export const isImportedName = (name: string) => /^Jira approver \d+ \(imported: enter their name\)$/.test(name);

/**
 * Old → new: every account and every email becomes its own person, so nobody who could approve
 * before is lost and nobody new can (an account and an email are never guessed to be one person).
 * An email person is named by the address. Repeats in the old lists (allowed then) collapse to one.
 */
export function approversFromLegacy(old: LegacyApprovers): Approver[] {
  const accounts = [...new Set(old.jiraAccountIds)];
  const seen = new Set<string>();
  const emails = old.emails.filter((e) => !seen.has(e.toLowerCase()) && Boolean(seen.add(e.toLowerCase())));
  return [...accounts.map((jiraAccountId, i) => ({ name: importedJiraName(i + 1), jiraAccountId })), ...emails.map((email) => ({ name: email, email }))];
}

/**
 * Either shape of the approvers, as people: the new list as it is, the old two lists upgraded.
 * Undefined for anything else (the caller's schema then says what is wrong).
 */
export function approversOf(value: unknown): Approver[] | undefined {
  const legacy = LegacyApproversSchema.safeParse(value);
  if (legacy.success) return approversFromLegacy(legacy.data);
  const current = ApproverListSchema.safeParse(value);
  return current.success ? current.data : undefined;
}

/**
 * A stored settings document in either shape, upgraded to the current one (old approvers become
 * people); anything else passes through untouched for the settings schema to judge.
 */
export function upgradeSettingsDoc(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || !('approvers' in doc)) return doc;
  const legacy = LegacyApproversSchema.safeParse((doc as { approvers: unknown }).approvers);
  return legacy.success ? { ...doc, approvers: approversFromLegacy(legacy.data) } : doc;
}
