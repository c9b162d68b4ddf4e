import React, { useEffect, useState } from 'react';
import { Box, Button, ErrorMessage, Heading, Inline, Label, Stack, Text, Textfield, UserPicker } from '@forge/react';
import { canonicalJson, type Approver } from '@pm-agent/shared';
import { hasProblems, newRowKey, personOf, rowProblems, rowsOf, type ApproverRow } from './approver-rows';

export interface ApproversSectionProps {
  approvers: Approver[];
  /** Called with the people whenever every row can be saved. */
  onChange(next: Approver[]): void;
  /** Says whether every row can be saved, so Save is offered only then. */
  onValidity?(problem: string | undefined): void;
}

const samePeople = (rows: ApproverRow[], people: Approver[]) => canonicalJson(rows.map(personOf)) === canonicalJson(people);

/**
 * Who may approve: one row per person, with their name, their Jira account (for the issue panel
 * and the inbox) and their email (for the Outlook pane). Each field says what is wrong with it.
 */
export function ApproversSection({ approvers, onChange, onValidity }: ApproversSectionProps) {
  const [rows, setRows] = useState<ApproverRow[]>(() => rowsOf(approvers));
  // Settings loaded again (saved, or someone else's newer version): show them, unless they are what the rows already say.
  useEffect(() => {
    setRows((now) => (samePeople(now, approvers) ? now : rowsOf(approvers)));
    onValidity?.(undefined);
  }, [approvers]);

  const problems = rowProblems(rows);
  const update = (next: ApproverRow[]) => {
    setRows(next);
    const wrong = hasProblems(rowProblems(next));
    onValidity?.(wrong ? 'Fix the approvers marked above.' : undefined);
    if (!wrong) onChange(next.map(personOf));
  };
  const edit = (key: number, change: Partial<ApproverRow>) => update(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const pick = (row: ApproverRow, user: { id?: unknown; name?: unknown; email?: unknown } | undefined) => {
    const id = typeof user?.id === 'string' ? user.id : '';
    if (!id) return;
    // A picked Jira user fills in their name and email when the row has none yet.
    const name = row.name.trim() || (typeof user?.name === 'string' ? user.name : '');
    const email = row.email.trim() || (typeof user?.email === 'string' ? user.email : '');
    edit(row.key, { jiraAccountId: id, name, email });
  };

  return (
    <Stack space="space.150">
      <Heading size="medium" as="h2">Approvers</Heading>
      <Text>Only these people may approve, edit, reject or stop the agent’s suggestions. Everyone else sees them read-only. Give each person their Jira account to approve in Jira, their email address to approve in Outlook, or both.</Text>
      {rows.length === 0 ? <Text>No approvers yet: nobody can approve, in Jira or in Outlook.</Text> : null}
      {rows.map((row, i) => {
        const p = problems[i]!;
        const title = row.name.trim() || 'New approver';
        return (
          <Box key={row.key} testId={`approver-${i}`}>
            <Stack space="space.050">
              <Heading size="small" as="h3">{title}</Heading>
              <Label labelFor={`approver-${i}-name`}>Name</Label>
              <Textfield id={`approver-${i}-name`} value={row.name} isInvalid={p.name !== undefined} aria-invalid={p.name !== undefined} onChange={(e) => edit(row.key, { name: String(e.target.value ?? '') })} />
              {p.name ? <ErrorMessage>{p.name}</ErrorMessage> : null}
              <UserPicker
                key={`${row.key}-${row.jiraAccountId ?? 'none'}`}
                name={`approver-${i}-jira`}
                label="Jira account"
                placeholder="Search for a Jira user"
                defaultValue={row.jiraAccountId}
                onChange={(user) => pick(row, user)}
              />
              {p.jiraAccountId ? <ErrorMessage>{p.jiraAccountId}</ErrorMessage> : null}
              {row.jiraAccountId ? (
                <Inline>
                  <Button appearance="subtle" onClick={() => edit(row.key, { jiraAccountId: undefined })}>
                    {`Take ${title}’s Jira account off`}
                  </Button>
                </Inline>
              ) : (
                <Text>No Jira account: cannot approve in Jira.</Text>
              )}
              <Label labelFor={`approver-${i}-email`}>Email address (to approve in Outlook)</Label>
              <Textfield id={`approver-${i}-email`} value={row.email} isInvalid={p.email !== undefined} aria-invalid={p.email !== undefined} onChange={(e) => edit(row.key, { email: String(e.target.value ?? '') })} />
              {p.email ? <ErrorMessage>{p.email}</ErrorMessage> : null}
              {p.row ? <ErrorMessage>{p.row}</ErrorMessage> : null}
              <Inline>
                <Button appearance="subtle" onClick={() => update(rows.filter((r) => r.key !== row.key))}>
                  {`Remove ${title}`}
                </Button>
              </Inline>
            </Stack>
          </Box>
        );
      })}
      <Inline>
        <Button onClick={() => update([...rows, { key: newRowKey(), name: '', email: '' }])}>Add an approver</Button>
      </Inline>
    </Stack>
  );
}
