import React from 'react';
import { DynamicTable, Heading, Stack, Text, User } from '@forge/react';
import { preview, type Actor, type AuditEntry } from '@pm-agent/shared';
import { formatWhen } from '../format';

export interface AuditSectionProps {
  entries: AuditEntry[];
  /** The trail is longer than the page read. */
  more: boolean;
}

function Who({ actor }: { actor: Actor }) {
  return actor.principal === 'forge' ? <User accountId={actor.id} /> : <Text>{actor.name ?? `${actor.principal}: ${actor.id}`}</Text>;
}

/** The latest audit entries, newest first. Details are backend data, shown as plain text. */
export function AuditSection({ entries, more }: AuditSectionProps) {
  return (
    <Stack space="space.100">
      <Heading size="medium">Recent audit entries</Heading>
      {more ? <Text>The trail is longer than this page reads at once; the backend’s audit:verify command checks all of it.</Text> : null}
      {entries.length === 0 ? <Text>Nothing has been audited yet.</Text> : null}
      <DynamicTable
        caption="Recent audit entries"
        head={{
          cells: [
            { key: 'seq', content: '#' },
            { key: 'at', content: 'When' },
            { key: 'who', content: 'Who' },
            { key: 'what', content: 'What' },
            { key: 'details', content: 'Details' },
          ],
        }}
        rows={entries.map((e) => ({
          key: String(e.seq),
          cells: [
            { key: 'seq', content: <Text>{String(e.seq)}</Text> },
            { key: 'at', content: <Text>{formatWhen(e.at)}</Text> },
            { key: 'who', content: <Who actor={e.actor} /> },
            { key: 'what', content: <Text>{`${e.action} ${e.subject}`}</Text> },
            { key: 'details', content: <Text>{preview(JSON.stringify(e.details), 200)}</Text> },
          ],
        }))}
      />
    </Stack>
  );
}
