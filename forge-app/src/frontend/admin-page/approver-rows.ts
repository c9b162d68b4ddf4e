import { EmailAddress, JiraAccountId, duplicateProblems, type Approver } from '@pm-agent/shared';

/**
 * The approvers as the admin page edits them: one row per person, as typed (a row may be half
 * filled), and what is wrong with each field in words. Only a list without problems becomes the
 * settings' approvers.
 */
export interface ApproverRow {
  /** Stable across edits, so a row keeps its fields while others are added or removed. */
  key: number;
  name: string;
  jiraAccountId?: string;
  email: string;
}

export type RowField = 'name' | 'jiraAccountId' | 'email' | 'row';
export type RowProblems = Partial<Record<RowField, string>>;

let nextKey = 1;
export const newRowKey = () => nextKey++;

export function rowsOf(people: readonly Approver[]): ApproverRow[] {
  return people.map((p) => ({ key: newRowKey(), name: p.name, ...(p.jiraAccountId !== undefined ? { jiraAccountId: p.jiraAccountId } : {}), email: p.email ?? '' }));
}

/** The row as a person: trimmed, and only the fields it has (the settings' canonical JSON has no undefined). */
export function personOf(row: ApproverRow): Approver {
  const email = row.email.trim();
  return { name: row.name.trim(), ...(row.jiraAccountId ? { jiraAccountId: row.jiraAccountId } : {}), ...(email ? { email } : {}) };
}

/** Each row's problems, in words, by field; an empty object for a row that can be saved. */
export function rowProblems(rows: readonly ApproverRow[]): RowProblems[] {
  const people = rows.map(personOf);
  const out: RowProblems[] = people.map((p, i) => {
    const problems: RowProblems = {};
    const typedEmail = rows[i]!.email.trim();
    if (!p.name) problems.name = 'Enter the person’s name.';
    else if (p.name.length > 200) problems.name = 'Shorten the name to at most 200 characters.';
    if (p.jiraAccountId !== undefined && !JiraAccountId.safeParse(p.jiraAccountId).success) problems.jiraAccountId = 'Pick the person’s Jira account again: this one is not a Jira account.';
    if (typedEmail && !EmailAddress.safeParse(typedEmail).success) problems.email = `“${typedEmail}” is not an email address: it should look like name@example.com.`;
    if (!p.jiraAccountId && !typedEmail) problems.row = 'Give a Jira account, an email address, or both: with neither, this person cannot approve anywhere.';
    return problems;
  });
  for (const d of duplicateProblems(people)) out[d.index]![d.field] ??= `${d.message.replace(/^this /, 'This ')}.`;
  return out;
}

export const hasProblems = (problems: readonly RowProblems[]) => problems.some((p) => Object.keys(p).length > 0);
