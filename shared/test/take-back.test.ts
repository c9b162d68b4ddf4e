import { takeBackAt } from '../src/undo';
import type { ActionType } from '../src/actions';
import type { SuggestionState } from '../src/lifecycle';

/** What can still be taken back, by state, action type and time: the one rule the backend and both pages use. */
const DECIDED = '2026-12-01T10:00:00.000Z';
const card = (state: SuggestionState, actionType: ActionType = 'jira_comment', ok = true) => ({ state, actionType, decision: { at: DECIDED }, result: state === 'executed' ? { ok, at: DECIDED } : null });
const at = (minutes: number) => new Date(Date.parse(DECIDED) + minutes * 60_000).toISOString();

describe('takeBackAt', () => {
  test.each<[SuggestionState, ActionType, boolean, number, ReturnType<typeof takeBackAt>]>([
    ['rejected', 'jira_comment', true, 5, 'reopen'],
    ['dismissed', 'email_external', true, 15, 'reopen'],
    ['stopped', 'jira_status_change', true, 1, 'reopen'],
    ['rejected', 'jira_comment', true, 16, null], // past the window
    ['executed', 'jira_comment', true, 5, 'undo'],
    ['executed', 'jira_comment', false, 5, null], // it did not run: nothing to take back
    ['executed', 'jira_status_change', true, 5, null], // no undo for this type
    ['executed', 'jira_comment', true, 15.5, null],
    ['pending', 'jira_comment', true, 1, null],
    ['superseded', 'jira_comment', true, 1, null],
    ['undone', 'jira_comment', true, 1, null],
  ])('%s %s (ran: %s) at +%s min → %s', (state, type, ok, minutes, expected) => {
    expect(takeBackAt(card(state, type, ok), at(minutes), 15)).toBe(expected);
  });

  test('a decision in the future (a clock ahead of this one) is not taken back, unless the caller allows for a clock behind', () => {
    expect(takeBackAt(card('rejected'), at(-1), 15)).toBeNull();
    expect(takeBackAt(card('rejected'), at(-0.5), 15, 60_000)).toBe('reopen');
    expect(takeBackAt(card('rejected'), at(-2), 15, 60_000)).toBeNull();
  });
});
