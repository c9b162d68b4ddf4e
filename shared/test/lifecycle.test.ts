import { ACTION_CATALOGUE, INBOX_GROUPS, INITIAL_STATE, IN_FLIGHT, LIFECYCLE, LifecycleError, STATE_GROUP, STATE_LABELS, SUGGESTION_STATES, TERMINAL_STATES, UNDOABLE, canApply, nextState } from '../src';

describe('suggestion lifecycle', () => {
  it('follows the approval path', () => {
    expect(INITIAL_STATE.approval).toBe('pending');
    expect(nextState('approve', 'pending')).toBe('approved');
    expect(nextState('start', 'approved')).toBe('executing');
    expect(nextState('succeed', 'executing')).toBe('executed');
    expect(nextState('fail', 'executing')).toBe('failed');
    expect(nextState('reject', 'pending')).toBe('rejected');
    expect(nextState('expire', 'pending')).toBe('expired');
  });

  it('follows the email path: approving hands it to the person, and nothing runs after that', () => {
    expect(nextState('handOver', 'pending')).toBe('handed_over');
    expect(canApply('start', 'handed_over')).toBe(false);
  });

  it('follows the hold path', () => {
    expect(INITIAL_STATE.hold).toBe('scheduled');
    expect(nextState('stop', 'scheduled')).toBe('stopped');
    expect(nextState('start', 'scheduled')).toBe('executing');
  });

  it('refuses every transition out of a terminal state but a human reopen, undo or retry', () => {
    // The only ways out of a terminal state, each a human request checked by the backend (window, type, hash).
    const humanExits: Record<string, readonly string[]> = { reopen: ['rejected', 'dismissed', 'stopped'], undo: ['executed'], retry: ['failed'] };
    for (const state of TERMINAL_STATES) {
      for (const event of Object.keys(LIFECYCLE) as Array<keyof typeof LIFECYCLE>) {
        expect([event, state, canApply(event, state)]).toEqual([event, state, (humanExits[event] ?? []).includes(state)]);
      }
    }
  });

  it('follows the undo path: executed -> undoing -> undone, or back to executed when the undo fails', () => {
    expect(nextState('undo', 'executed')).toBe('undoing');
    expect(nextState('undoDone', 'undoing')).toBe('undone');
    expect(nextState('undoFail', 'undoing')).toBe('executed');
    expect(canApply('undo', 'undone')).toBe(false);
    expect(canApply('undo', 'failed')).toBe(false);
  });

  it('lets a held item run now or be edited, and a failed one be retried', () => {
    expect(nextState('runNow', 'scheduled')).toBe('approved');
    expect(nextState('editHeld', 'scheduled')).toBe('scheduled');
    expect(nextState('retry', 'failed')).toBe('approved');
    expect(canApply('runNow', 'pending')).toBe(false);
    expect(canApply('editHeld', 'executing')).toBe(false);
  });

  it('has total per-state tables: in flight, labels, inbox groups (each state in exactly one group)', () => {
    for (const state of SUGGESTION_STATES) {
      expect([state, state in IN_FLIGHT, typeof STATE_LABELS[state], typeof STATE_GROUP[state]]).toEqual([state, true, 'string', 'string']);
      const groups = Object.values(INBOX_GROUPS).filter((g) => (g.states as readonly string[]).includes(state));
      expect([state, groups.length]).toEqual([state, 1]);
    }
    // Settling an in-flight state leaves it: the execute stage's answer always moves it on.
    for (const [state, settle] of Object.entries(IN_FLIGHT)) {
      if (!settle) continue;
      expect(canApply(settle.done, state as never)).toBe(true);
      expect(canApply(settle.fail, state as never)).toBe(true);
    }
  });

  it('has an undo row for every action type, and only a posted comment can be undone', () => {
    expect(Object.keys(UNDOABLE).sort()).toEqual(Object.keys(ACTION_CATALOGUE).sort());
    expect(Object.entries(UNDOABLE).filter(([, v]) => v).map(([k]) => k)).toEqual(['jira_comment']);
  });

  it('refuses approving twice and stopping a pending suggestion, saying why', () => {
    expect(() => nextState('approve', 'approved')).toThrow(new LifecycleError('approve', 'approved'));
    expect(() => nextState('stop', 'pending')).toThrow('cannot stop a suggestion that is pending');
  });

  it('every state is reachable from an initial state', () => {
    const reached = new Set<string>(Object.values(INITIAL_STATE));
    let grew = true;
    while (grew) {
      grew = false;
      for (const { from, to } of Object.values(LIFECYCLE)) {
        if ((from as readonly string[]).some((f) => reached.has(f)) && !reached.has(to)) {
          reached.add(to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...SUGGESTION_STATES].sort());
  });
});
