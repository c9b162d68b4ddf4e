import React, { useState } from 'react';
import { Button, CodeBlock, DynamicTable, Heading, Inline, Label, Select, Stack, Text, User } from '@forge/react';
import { approverByAccountId, approverByEmail, type Actor, type Approver, type AuditEntry } from '@pm-agent/shared';
import { formatWhen } from '../format';
import { AUDIT_FILTERS, auditCsv, auditDetails, auditKind, auditSays, type AuditKind } from './audit-words';

export interface AuditSectionProps {
  entries: AuditEntry[];
  /** The trail is longer than the page read. */
  more: boolean;
  /** The approvers as saved: a Jira or Outlook actor on the list is named as the admin named them. */
  approvers: Approver[];
}

const SYSTEM_NAMES: Record<Actor['principal'], string> = { forge: 'A Jira user', outlook: 'An Outlook user', agent: 'The PM agent', system: 'The PM agent service' } as Record<Actor['principal'], string>;

/** Who did it, as text (the CSV has no Jira to draw a user): the approver's name when they are on the list, else the actor's own name; never a raw id. */
function nameOf(actor: Actor, approvers: Approver[]): string | undefined {
  const person = actor.principal === 'forge' ? approverByAccountId(approvers, actor.id) : actor.principal === 'outlook' ? approverByEmail(approvers, actor.id) : undefined;
  return person?.name ?? actor.name;
}

/** In the table Jira draws a Jira account as the person (its own, current name); others by name. */
function Who({ actor, approvers }: { actor: Actor; approvers: Approver[] }) {
  return actor.principal === 'forge' ? <User accountId={actor.id} /> : <Text>{nameOf(actor, approvers) ?? SYSTEM_NAMES[actor.principal] ?? 'Someone'}</Text>;
}

/** The latest audit entries, newest first, in words; filters; CSV to copy. Details are backend data, shown as plain text. */
export function AuditSection({ entries, more, approvers }: AuditSectionProps) {
  const [filter, setFilter] = useState<AuditKind | 'all'>('all');
  const [csv, setCsv] = useState(false);
  const shown = filter === 'all' ? entries : entries.filter((e) => auditKind(e) === filter);
  const chosen = AUDIT_FILTERS.find((f) => f.value === filter);
  return (
    <Stack space="space.100">
      <Heading size="medium" as="h2">Audit trail</Heading>
      {more ? <Text>The trail is longer than this page reads at once; the backend’s audit:verify command checks all of it.</Text> : null}
      <Label labelFor="audit-filter">Show</Label>
      <Select
        inputId="audit-filter"
        options={AUDIT_FILTERS}
        value={chosen}
        onChange={(opt: unknown) => {
          const f = AUDIT_FILTERS.find((x) => typeof opt === 'object' && opt !== null && (opt as { value?: unknown }).value === x.value);
          if (f) setFilter(f.value);
        }}
      />
      {shown.length === 0 ? <Text>Nothing of this kind has been audited yet.</Text> : null}
      <DynamicTable
        caption="Audit trail, newest first"
        head={{
          cells: [
            { key: 'at', content: 'When' },
            { key: 'who', content: 'Who' },
            { key: 'what', content: 'What' },
            { key: 'details', content: 'Details' },
          ],
        }}
        rows={shown.map((e) => ({
          key: String(e.seq),
          cells: [
            { key: 'at', content: <Text>{formatWhen(e.at)}</Text> },
            { key: 'who', content: <Who actor={e.actor} approvers={approvers} /> },
            { key: 'what', content: <Text>{auditSays(e)}</Text> },
            { key: 'details', content: <Text>{auditDetails(e)}</Text> },
          ],
        }))}
      />
      <Inline>
        <Button appearance="subtle" onClick={() => setCsv(!csv)}>
          {csv ? 'Hide CSV' : 'Export as CSV'}
        </Button>
      </Inline>
      {csv ? <CodeBlock language="text" text={auditCsv(shown, (e) => nameOf(e.actor, approvers) ?? SYSTEM_NAMES[e.actor.principal] ?? 'Someone')} /> : null}
    </Stack>
  );
}
