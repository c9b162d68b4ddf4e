import React, { useEffect, useState } from 'react';
import { Button, ButtonGroup, Heading, Label, Lozenge, SectionMessage, Stack, Text, Textfield } from '@forge/react';
import type { ConnectionCheck, ConnectionView, PayloadOf } from '../../common/contract';
import { OutcomeView, type Outcome } from '../components';
import { formatWhen } from '../format';

export interface ConnectionSectionProps {
  connection: ConnectionView;
  busy: boolean;
  outcome?: Outcome | undefined;
  checks?: ConnectionCheck[] | undefined;
  /** Resolves to true when saved. */
  onSave(input: PayloadOf<'saveConnection'>): Promise<boolean>;
  onTest(): void;
}

const value = (e: { target: { value?: unknown } }) => String(e.target.value ?? '');

/**
 * Endpoint, region and the key pair. The key pair is write-only: the fields start empty, the page
 * only learns whether a pair is stored and when it changed, and the fields are cleared once saved.
 */
export function ConnectionSection({ connection, busy, outcome, checks, onSave, onTest }: ConnectionSectionProps) {
  const [endpoint, setEndpoint] = useState(connection.endpoint ?? '');
  const [region, setRegion] = useState(connection.region ?? '');
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  useEffect(() => {
    setEndpoint(connection.endpoint ?? '');
    setRegion(connection.region ?? '');
  }, [connection.endpoint, connection.region]);

  const save = async () => {
    const keyPair = accessKeyId || secretAccessKey ? { accessKeyId, secretAccessKey } : {};
    if (await onSave({ endpoint, region, ...keyPair })) {
      setAccessKeyId('');
      setSecretAccessKey('');
    }
  };
  const { credentials } = connection;

  return (
    <Stack space="space.100">
      <Heading size="medium" as="h2">Backend connection</Heading>
      <Label labelFor="backend-endpoint">Backend endpoint</Label>
      <Textfield id="backend-endpoint" name="endpoint" value={endpoint} placeholder="https://abc123.execute-api.eu-west-1.amazonaws.com/prod" onChange={(e) => setEndpoint(value(e))} />
      <Label labelFor="backend-region">AWS region</Label>
      <Textfield id="backend-region" name="region" value={region} placeholder="eu-west-1" onChange={(e) => setRegion(value(e))} />
      <Text>
        {credentials.set
          ? `Access key: set, last changed ${credentials.lastChangedAt ? formatWhen(credentials.lastChangedAt) : 'at an unknown time'}. Leave both key fields empty to keep it.`
          : 'Access key: not set. Enter the key pair of the backend’s Forge principal.'}
      </Text>
      <Label labelFor="backend-access-key-id">Access key ID (write-only)</Label>
      <Textfield id="backend-access-key-id" name="accessKeyId" value={accessKeyId} onChange={(e) => setAccessKeyId(value(e))} />
      <Label labelFor="backend-secret-access-key">Secret access key (write-only)</Label>
      <Textfield id="backend-secret-access-key" name="secretAccessKey" type="password" value={secretAccessKey} onChange={(e) => setSecretAccessKey(value(e))} />
      <ButtonGroup label="Backend connection">
        <Button appearance="primary" isDisabled={busy} onClick={() => void save()}>
          Save connection
        </Button>
        <Button isDisabled={busy} onClick={onTest}>
          Test connection
        </Button>
      </ButtonGroup>
      <OutcomeView outcome={outcome} />
      {checks ? <ConnectionChecks checks={checks} /> : null}
    </Stack>
  );
}

function ConnectionChecks({ checks }: { checks: ConnectionCheck[] }) {
  const allOk = checks.every((c) => c.ok);
  return (
    <SectionMessage appearance={allOk ? 'success' : 'error'} title={allOk ? 'The connection works' : 'The connection does not work yet'}>
      {checks.map((c) => (
        <Stack key={c.name} space="space.050">
          <Text>
            <Lozenge appearance={c.ok ? 'success' : 'removed'}>{c.ok ? 'Passed' : 'Failed'}</Lozenge>
            {` ${c.label}`}
          </Text>
          <Text>{c.detail}</Text>
        </Stack>
      ))}
    </SectionMessage>
  );
}
