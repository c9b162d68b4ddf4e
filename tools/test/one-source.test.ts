import { LIFECYCLE, MOVING_STATES, OPEN_STATES, STATE_LABELS, SUGGESTION_STATES } from '@pm-agent/shared';
import * as forgeLabels from '../../forge-app/src/frontend/labels';
import * as paneLabels from '../../outlook-addin/src/render/labels';

/** State words and the states both panels keep watching are defined once, in shared/, and both panels use that one. */
it('both panels watch the one set of moving states, and label states from the one table', () => {
  expect(forgeLabels.MOVING_STATES).toBe(MOVING_STATES);
  expect(paneLabels.MOVING_STATES).toBe(MOVING_STATES);
  expect(paneLabels.STATE_LABELS).toBe(STATE_LABELS);
  for (const state of SUGGESTION_STATES) expect(forgeLabels.STATE_INFO[state].label).toBe(STATE_LABELS[state]);
});

it('a moving state is open and moves on with no person: the only ways out of it are the execute stage\'s (start, succeed, fail; an undo done or failed)', () => {
  const byMachine = new Set(['start', 'succeed', 'fail', 'undoDone', 'undoFail']);
  for (const s of MOVING_STATES) {
    expect(OPEN_STATES.has(s)).toBe(true);
    const ways = Object.entries(LIFECYCLE).filter(([, t]) => (t.from as readonly string[]).includes(s)).map(([name]) => name);
    expect(ways.length).toBeGreaterThan(0);
    expect(ways.filter((w) => !byMachine.has(w))).toEqual([]);
  }
});
