import React, { useState } from 'react';
import { Button, ErrorMessage, Heading, Inline, Label, Stack, Text, Textfield, User, UserPicker } from '@forge/react';
import type { Settings } from '@pm-agent/shared';

type Approvers = Settings['approvers'];

export interface ApproversSectionProps {
  approvers: Approvers;
  onChange(next: Approvers): void;
}

const ACCOUNT_ID = /^[A-Za-z0-9:_-]{1,128}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Who may approve: Jira users for the issue panel, email identities for the Outlook pane. */
export function ApproversSection({ approvers, onChange }: ApproversSectionProps) {
  const [email, setEmail] = useState('');
  const [emailProblem, setEmailProblem] = useState<string>();
  const addUser = (user: { id?: unknown } | undefined) => {
    const id = typeof user?.id === 'string' ? user.id : '';
    if (ACCOUNT_ID.test(id) && !approvers.jiraAccountIds.includes(id)) onChange({ ...approvers, jiraAccountIds: [...approvers.jiraAccountIds, id] });
  };
  const addEmail = () => {
    const e = email.trim();
    const problem = !e
      ? 'Enter an email address first.'
      : !EMAIL.test(e)
        ? `“${e}” is not an email address: it should look like name@example.com.`
        : approvers.emails.some((x) => x.toLowerCase() === e.toLowerCase())
          ? `${e} is already an approver.`
          : undefined;
    setEmailProblem(problem);
    if (problem) return;
    onChange({ ...approvers, emails: [...approvers.emails, e] });
    setEmail('');
  };

  return (
    <Stack space="space.100">
      <Heading size="medium" as="h2">Approvers</Heading>
      <Text>Only these people may approve, edit, reject or stop the agent’s suggestions. Everyone else sees them read-only.</Text>
      {approvers.jiraAccountIds.length === 0 ? <Text>No Jira approvers yet: nobody can approve from Jira.</Text> : null}
      {approvers.jiraAccountIds.map((id) => (
        <Inline key={id} space="space.100" alignBlock="center">
          <User accountId={id} />
          <Button appearance="subtle" onClick={() => onChange({ ...approvers, jiraAccountIds: approvers.jiraAccountIds.filter((x) => x !== id) })}>
            Remove
          </Button>
        </Inline>
      ))}
      <UserPicker name="add-approver" label="Add a Jira approver" placeholder="Search for a Jira user" onChange={addUser} />
      <Heading size="small" as="h3">Outlook approvers</Heading>
      {approvers.emails.map((e) => (
        <Inline key={e} space="space.100" alignBlock="center">
          <Text>{e}</Text>
          <Button appearance="subtle" onClick={() => onChange({ ...approvers, emails: approvers.emails.filter((x) => x !== e) })}>
            Remove
          </Button>
        </Inline>
      ))}
      <Label labelFor="add-email-approver">Add an Outlook approver (email address)</Label>
      <Inline space="space.100">
        <Textfield
          id="add-email-approver"
          name="email"
          value={email}
          isInvalid={emailProblem !== undefined}
          onChange={(e) => {
            setEmail(String(e.target.value ?? ''));
            setEmailProblem(undefined);
          }}
        />
        <Button onClick={addEmail}>Add email approver</Button>
      </Inline>
      {emailProblem ? <ErrorMessage>{emailProblem}</ErrorMessage> : null}
    </Stack>
  );
}
