import React from 'react';
import { Button, SectionMessage, Spinner, Stack, Text } from '@forge/react';

/** The panel's views of its own state: each says what is going on and, where it can, what to do. */

/** One bounded wait (the resolver gives up after about ten seconds) that the person can also end. */
export function LoadingView({ onCancel, what = 'the agent’s suggestions' }: { onCancel?: () => void; what?: string }) {
  return (
    <Stack space="space.100" alignInline="center">
      <Spinner label={`Loading ${what}`} />
      <Text>{`Loading ${what}…`}</Text>
      {onCancel ? (
        <Button testId="cancel-wait" onClick={onCancel}>
          Cancel
        </Button>
      ) : null}
    </Stack>
  );
}

export function EmptyView({ issueKey }: { issueKey: string }) {
  return (
    <SectionMessage appearance="information" title={`No suggestions for ${issueKey}`}>
      <Text>The PM agent has not proposed anything for this issue. New suggestions appear here when it does.</Text>
    </SectionMessage>
  );
}

export function PausedNotice() {
  return (
    <SectionMessage appearance="warning" title="The PM agent is paused">
      <Text>Nothing it proposes runs until a Jira admin resumes it. Decisions you make now are kept and carried out after it resumes.</Text>
    </SectionMessage>
  );
}

export function NotApproverNotice() {
  return (
    <SectionMessage appearance="information" title="You can look, but not approve">
      <Text>You can see these suggestions but you are not on the approver list for the PM agent. Ask a Jira admin to add you on the app’s admin page.</Text>
    </SectionMessage>
  );
}
