import React, { useEffect, useState } from 'react';
import { DynamicTable, ErrorMessage, Heading, Label, Lozenge, Select, Stack, Text, Textfield } from '@forge/react';
import {
  ACTION_CATALOGUE,
  ACTION_TYPES,
  AUTONOMY_LEVEL_NAMES,
  AUTONOMY_LEVELS,
  BOUNDARIES,
  BOUNDARY_INFO,
  boundaryRank,
  AGENT_COMPOSED_TEXT,
  effectiveBoundary,
  type ActionType,
  type AutonomyLevel,
  type Boundary,
  type Settings,
  UNDO_WINDOW_DEFAULT_MINUTES,
} from '@pm-agent/shared';
import { BOUNDARY_APPEARANCE } from '../labels';

export interface PolicySectionProps {
  draft: Settings;
  onChange(next: Settings): void;
  /** Says whether every field holds a value that can be saved, so Save is offered only then. */
  onValidity?(field: MinuteField, problem: string | undefined): void;
}

/** The settings given in whole minutes, with their bounds (the settings schema's) and their words. */
const MINUTE_FIELDS = {
  holdDelayMinutes: {
    id: 'hold-delay',
    label: 'Hold delay (minutes)',
    what: 'the hold delay',
    min: 1,
    max: 10_080,
    maxWords: '7 days',
    explains: (n: number) => `Hold-queue actions run ${minutes(n)} after the agent proposes them, unless someone stops them.`,
  },
  undoWindowMinutes: {
    id: 'undo-window',
    label: 'Undo window (minutes)',
    what: 'the undo window',
    min: 1,
    max: 1_440,
    maxWords: '24 hours',
    explains: (n: number) => `For ${minutes(n)} afterwards an approver can undo a comment the agent posted, or reopen a rejected, dismissed or stopped suggestion.`,
  },
} as const;
type MinuteField = keyof typeof MINUTE_FIELDS;
const MINUTE_FIELD_NAMES = Object.keys(MINUTE_FIELDS) as MinuteField[];
const minutesOf = (draft: Settings, f: MinuteField) => draft[f] ?? UNDO_WINDOW_DEFAULT_MINUTES;

type Option<T extends string> = { label: string; value: T };

/** Why a minutes field cannot be saved, in words; undefined when it can. */
export function minutesProblem(field: MinuteField, text: string): string | undefined {
  const { what, min, max, maxWords } = MINUTE_FIELDS[field];
  const t = text.trim();
  if (!t) return `Enter ${what} in minutes.`;
  if (!/^\d+$/.test(t)) return 'Enter whole minutes, as a number such as 30.';
  const n = Number(t);
  if (n < min || n > max) return `Enter whole minutes from ${min} to ${max} (${maxWords}); ${n} is out of range.`;
  return undefined;
}

export const holdProblem = (text: string) => minutesProblem('holdDelayMinutes', text);

export const minutes = (n: number) => `${n} minute${n === 1 ? '' : 's'}`;

const autonomyOptions: Array<Option<AutonomyLevel>> = AUTONOMY_LEVEL_NAMES.map((value) => ({ label: AUTONOMY_LEVELS[value].label, value }));
const boundaryOption = (b: Boundary): Option<Boundary> => ({ label: BOUNDARY_INFO[b].label, value: b });
/** An override may only tighten the specification: the options start at the spec's own boundary. */
const overrideOptions = (type: ActionType): Array<Option<Boundary>> =>
  BOUNDARIES.filter((b) => boundaryRank(b) >= boundaryRank(ACTION_CATALOGUE[type].boundary)).map(boundaryOption);

const isOption = (v: unknown): v is { value: unknown } => typeof v === 'object' && v !== null && 'value' in v;

/** The autonomy level, the hold delay, and the decision-boundary table (the pause switch is at the top of the page). */
export function PolicySection({ draft, onChange, onValidity }: PolicySectionProps) {

  const setAutonomy = (opt: unknown) => {
    const level = AUTONOMY_LEVEL_NAMES.find((n) => isOption(opt) && opt.value === n);
    if (level) onChange({ ...draft, autonomyLevel: level });
  };
  const setOverride = (type: ActionType, opt: unknown) => {
    const chosen = BOUNDARIES.find((b) => isOption(opt) && opt.value === b);
    if (!chosen) return;
    const overrides = { ...draft.boundaryOverrides };
    if (chosen === ACTION_CATALOGUE[type].boundary) delete overrides[type];
    else overrides[type] = chosen;
    onChange({ ...draft, boundaryOverrides: overrides });
  };

  const rows = ACTION_TYPES.map((type) => {
    const spec = ACTION_CATALOGUE[type].boundary;
    const configured = draft.boundaryOverrides[type] ?? spec;
    const effective = effectiveBoundary(type, draft, AGENT_COMPOSED_TEXT);
    return {
      key: type,
      cells: [
        // The row's action name is the select's label: a screen reader hears which action it sets.
        { key: 'action', content: spec === 'never' ? <Text>{ACTION_CATALOGUE[type].label}</Text> : <Label labelFor={`boundary-${type}`}>{ACTION_CATALOGUE[type].label}</Label> },
        { key: 'spec', content: <Lozenge appearance={BOUNDARY_APPEARANCE[spec]}>{BOUNDARY_INFO[spec].label}</Lozenge> },
        {
          key: 'configured',
          content:
            spec === 'never' ? (
              <Text>Locked: never-do actions cannot be unlocked</Text>
            ) : (
              <Select
                inputId={`boundary-${type}`}
                options={overrideOptions(type)}
                value={boundaryOption(configured)}
                onChange={(opt: unknown) => setOverride(type, opt)}
              />
            ),
        },
        { key: 'effective', content: <Lozenge appearance={BOUNDARY_APPEARANCE[effective]}>{BOUNDARY_INFO[effective].label}</Lozenge> },
      ],
    };
  });

  return (
    <Stack space="space.150">
      <Heading size="medium" as="h2">The agent</Heading>
      <Stack space="space.050">
        <Label labelFor="autonomy-level">Autonomy level</Label>
        <Select inputId="autonomy-level" options={autonomyOptions} value={autonomyOptions.find((o) => o.value === draft.autonomyLevel)} onChange={setAutonomy} />
        <Text>{AUTONOMY_LEVELS[draft.autonomyLevel].explains}</Text>
      </Stack>
      {MINUTE_FIELD_NAMES.map((f) => (
        <MinutesField key={f} field={f} value={minutesOf(draft, f)} onValidity={onValidity} onChange={(n) => onChange({ ...draft, [f]: n })} />
      ))}
      <Heading size="small" as="h3">Decision boundaries</Heading>
      <Text>You can make an action stricter than the agent’s specification, never looser. The autonomy level can tighten them further.</Text>
      <DynamicTable
        caption="Decision boundaries"
        head={{
          cells: [
            { key: 'action', content: 'Action' },
            { key: 'spec', content: 'Agent specification' },
            { key: 'configured', content: 'This installation' },
            { key: 'effective', content: 'Effective now' },
          ],
        }}
        rows={rows}
      />
    </Stack>
  );
}

/** One whole-minutes setting: typed as text, saved only when it is within the schema's bounds. */
function MinutesField({ field, value, onChange, onValidity }: { field: MinuteField; value: number; onChange(n: number): void; onValidity: PolicySectionProps['onValidity'] }) {
  const { id, label, explains } = MINUTE_FIELDS[field];
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const problem = minutesProblem(field, text);
  const set = (typed: string) => {
    setText(typed);
    const wrong = minutesProblem(field, typed);
    onValidity?.(field, wrong);
    if (!wrong) onChange(Number(typed.trim()));
  };
  return (
    <Stack space="space.050">
      <Label labelFor={id}>{label}</Label>
      <Textfield id={id} type="number" value={text} isInvalid={problem !== undefined} aria-invalid={problem !== undefined} onChange={(e) => set(String(e.target.value ?? ''))} />
      {problem ? <ErrorMessage>{problem}</ErrorMessage> : <Text>{explains(value)}</Text>}
    </Stack>
  );
}
