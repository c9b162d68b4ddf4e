import { canonicalJson, type Approver } from '@pm-agent/shared';

/**
 * What an approvers change did, person by person, for the audit trail: who was added, who was
 * removed, and whose row changed (a person is the same person when they keep their Jira account or
 * their email). Each names the person, so the trail reads "added Pat Morgan (Jira + pat@…) as approver".
 */
export type ApproverChange =
  | { action: 'approver.added'; details: { person: PersonRecord } }
  | { action: 'approver.removed'; details: { person: PersonRecord } }
  | { action: 'approver.changed'; details: { person: PersonRecord; was: PersonRecord } };

/** A person as the audit trail keeps them: only the fields they have (the trail's canonical JSON has no undefined). */
export type PersonRecord = { name: string; jiraAccountId?: string; email?: string };

export function personRecord(p: Approver): PersonRecord {
  return { name: p.name, ...(p.jiraAccountId !== undefined ? { jiraAccountId: p.jiraAccountId } : {}), ...(p.email !== undefined ? { email: p.email } : {}) };
}

const samePerson = (a: Approver, b: Approver) =>
  (a.jiraAccountId !== undefined && a.jiraAccountId === b.jiraAccountId) || (a.email !== undefined && b.email !== undefined && a.email.toLowerCase() === b.email.toLowerCase());

export function approverChanges(before: readonly Approver[], after: readonly Approver[]): ApproverChange[] {
  const changes: ApproverChange[] = [];
  const matched = new Set<Approver>();
  for (const now of after) {
    const was = before.find((b) => !matched.has(b) && samePerson(b, now));
    if (!was) {
      changes.push({ action: 'approver.added', details: { person: personRecord(now) } });
      continue;
    }
    matched.add(was);
    if (canonicalJson(personRecord(was)) !== canonicalJson(personRecord(now))) changes.push({ action: 'approver.changed', details: { person: personRecord(now), was: personRecord(was) } });
  }
  for (const gone of before.filter((b) => !matched.has(b))) changes.push({ action: 'approver.removed', details: { person: personRecord(gone) } });
  return changes;
}
