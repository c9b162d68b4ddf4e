import React, { useEffect, useState } from 'react';
import { DynamicTable, Heading, Label, Lozenge, Select, Stack, Text, Textfield, Toggle } from '@forge/react';
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
} from '@pm-agent/shared';
import { BOUNDARY_APPEARANCE } from '../labels';

export interface PolicySectionProps {
  draft: Settings;
  onChange(next: Settings): void;
}

type Option<T extends string> = { label: string; value: T };

const HOLD_MIN = 1;
const HOLD_MAX = 10_080;

const autonomyOptions: Array<Option<AutonomyLevel>> = AUTONOMY_LEVEL_NAMES.map((value) => ({ label: AUTONOMY_LEVELS[value].label, value }));
const boundaryOption = (b: Boundary): Option<Boundary> => ({ label: BOUNDARY_INFO[b].label, value: b });
/** An override may only tighten the specification: the options start at the spec's own boundary. */
const overrideOptions = (type: ActionType): Array<Option<Boundary>> =>
  BOUNDARIES.filter((b) => boundaryRank(b) >= boundaryRank(ACTION_CATALOGUE[type].boundary)).map(boundaryOption);

const isOption = (v: unknown): v is { value: unknown } => typeof v === 'object' && v !== null && 'value' in v;

/** The pause switch, the autonomy level, the hold delay, and the decision-boundary table. */
export function PolicySection({ draft, onChange }: PolicySectionProps) {
  const [holdText, setHoldText] = useState(String(draft.holdDelayMinutes));
  useEffect(() => setHoldText(String(draft.holdDelayMinutes)), [draft.holdDelayMinutes]);
  const holdValid = /^\d+$/.test(holdText) && Number(holdText) >= HOLD_MIN && Number(holdText) <= HOLD_MAX;

  const setAutonomy = (opt: unknown) => {
    const level = AUTONOMY_LEVEL_NAMES.find((n) => isOption(opt) && opt.value === n);
    if (level) onChange({ ...draft, autonomyLevel: level });
  };
  const setHold = (text: string) => {
    setHoldText(text);
    const n = Number(text);
    if (/^\d+$/.test(text) && n >= HOLD_MIN && n <= HOLD_MAX) onChange({ ...draft, holdDelayMinutes: n });
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
        { key: 'action', content: <Text>{ACTION_CATALOGUE[type].label}</Text> },
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
      <Heading size="medium">The agent</Heading>
      <Stack space="space.050">
        <Label labelFor="agent-paused">Pause the agent</Label>
        <Toggle id="agent-paused" isChecked={draft.paused} onChange={() => onChange({ ...draft, paused: !draft.paused })} />
        <Text>{draft.paused ? 'Paused: nothing runs, hold timers included, until you resume it.' : 'Running: actions run as the autonomy level and boundaries allow.'}</Text>
      </Stack>
      <Stack space="space.050">
        <Label labelFor="autonomy-level">Autonomy level</Label>
        <Select inputId="autonomy-level" options={autonomyOptions} value={autonomyOptions.find((o) => o.value === draft.autonomyLevel)} onChange={setAutonomy} />
        <Text>{AUTONOMY_LEVELS[draft.autonomyLevel].explains}</Text>
      </Stack>
      <Stack space="space.050">
        <Label labelFor="hold-delay">Hold delay (minutes)</Label>
        <Textfield id="hold-delay" type="number" value={holdText} onChange={(e) => setHold(String(e.target.value ?? ''))} />
        <Text>{holdValid ? `Hold-queue actions run ${draft.holdDelayMinutes} minutes after the agent proposes them, unless someone stops them.` : `Enter whole minutes from ${HOLD_MIN} to ${HOLD_MAX} (7 days).`}</Text>
      </Stack>
      <Heading size="small">Decision boundaries</Heading>
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
