import { INITIAL_STATE, LIFECYCLE, LifecycleError, SUGGESTION_STATES, TERMINAL_STATES, canApply, nextState } from '../src';

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

  it('refuses every transition out of a terminal state but a human reopen of a closed decision', () => {
    for (const state of TERMINAL_STATES) {
      for (const event of Object.keys(LIFECYCLE) as Array<keyof typeof LIFECYCLE>) {
        expect([event, state, canApply(event, state)]).toEqual([event, state, event === 'reopen' && ['rejected', 'dismissed', 'stopped'].includes(state)]);
      }
    }
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
