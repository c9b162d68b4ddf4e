import React from 'react';
import { Box, Stack, Strong, Text, xcss } from '@forge/react';
import { PAYLOAD_FIELDS, QUOTED_LABEL, payloadTrust, quotedSegments, type Suggestion } from '@pm-agent/shared';
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
  const origins = payloadTrust(suggestion).fields;
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
          <FieldText suggestion={suggestion} field={f.key} origin={origins[f.key]} />
        </Stack>
      ))}
    </Stack>
  );
}

const quoteStyle = xcss({ borderColor: 'color.border.discovery', borderStyle: 'solid', borderWidth: 'border.width', borderRadius: 'border.radius', padding: 'space.100' });

/** A field's text, with the pieces copied from outside boxed and labelled as quoted; long pieces clamped until asked. */
function FieldText({ suggestion, field, origin }: { suggestion: Suggestion; field: string; origin: ReturnType<typeof payloadTrust>['fields'][string] | undefined }) {
  const value = fieldText(suggestion.payload[field]);
  const segments = quotedSegments(value, origin, suggestion.textOrigin?.[field]);
  return (
    <Stack space="space.050">
      {segments.map((seg, i) =>
        seg.quoted ? (
          <Box key={i} xcss={quoteStyle} testId={`quoted-${field}`}>
            <Text size="small" color="color.text.discovery">
              {QUOTED_LABEL}
            </Text>
            <ClampedText value={seg.text} />
          </Box>
        ) : (
          <ClampedText key={i} value={seg.text} />
        ),
      )}
    </Stack>
  );
}
