import React from 'react';
import { Stack, Strong, Text } from '@forge/react';
import { PAYLOAD_FIELDS, type Suggestion } from '@pm-agent/shared';
import { ClampedText } from '../components';

/** A payload field as text: lists joined, anything else as JSON (never interpreted). */
export function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

/**
 * Exactly what the action will do: every field of the payload, verbatim. For a Jira comment that
 * is the comment text as it will be posted.
 */
export function PayloadView({ suggestion }: { suggestion: Suggestion }) {
  const known = PAYLOAD_FIELDS[suggestion.actionType];
  const listed = new Set(known.map((f) => f.key));
  const extra = Object.keys(suggestion.payload)
    .filter((k) => !listed.has(k))
    .map((key) => ({ key, label: key }));
  const fields = [...known, ...extra].filter((f) => suggestion.payload[f.key] !== undefined);
  const done = suggestion.state === 'executed';
  return (
    <Stack space="space.100">
      <Text>
        <Strong>{done ? 'What was done' : 'What will happen, exactly'}</Strong>
      </Text>
      {fields.map((f) => (
        <Stack key={f.key} space="space.025">
          <Text size="small" color="color.text.subtle">
            {f.label}
          </Text>
          <ClampedText value={fieldText(suggestion.payload[f.key])} />
        </Stack>
      ))}
    </Stack>
  );
}
