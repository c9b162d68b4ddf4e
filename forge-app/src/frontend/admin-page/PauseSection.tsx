import React, { useState } from 'react';
import { Button, ButtonGroup, Heading, SectionMessage, Stack, Text } from '@forge/react';
import { OutcomeView, type Outcome } from '../components';

export interface PauseSectionProps {
  paused: boolean;
  busy: boolean;
  outcome: Outcome | undefined;
  onChange(paused: boolean): void;
}

/**
 * The emergency stop, at the top of the page: takes effect at once (after one confirmation),
 * without waiting for "Save settings" at the bottom.
 */
export function PauseSection({ paused, busy, outcome, onChange }: PauseSectionProps) {
  const [confirming, setConfirming] = useState(false);
  const act = () => {
    setConfirming(false);
    onChange(!paused);
  };
  return (
    <Stack space="space.100">
      <Heading size="medium" as="h2">Pause the agent</Heading>
      <SectionMessage appearance={paused ? 'warning' : 'information'} title={paused ? 'The PM agent is paused' : 'The PM agent is running'}>
        <Text>{paused ? 'Nothing runs, hold timers included, until you resume it.' : 'Pausing stops everything at once: nothing runs, hold timers included, until you resume it.'}</Text>
      </SectionMessage>
      {confirming ? (
        <Stack space="space.100">
          <Text>{paused ? 'Resume the agent now? Approved actions and due hold-queue items start running.' : 'Pause the agent now? Nothing it proposes runs until you resume it.'}</Text>
          <ButtonGroup label="Confirm">
            <Button appearance={paused ? 'primary' : 'danger'} isDisabled={busy} autoFocus onClick={act}>
              {paused ? 'Yes, resume now' : 'Yes, pause now'}
            </Button>
            <Button isDisabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </Button>
          </ButtonGroup>
        </Stack>
      ) : (
        <ButtonGroup label="Pause switch">
          <Button appearance={paused ? 'primary' : 'danger'} isDisabled={busy} onClick={() => setConfirming(true)}>
            {paused ? 'Resume the agent' : 'Pause the agent now'}
          </Button>
        </ButtonGroup>
      )}
      <OutcomeView outcome={outcome} />
    </Stack>
  );
}
