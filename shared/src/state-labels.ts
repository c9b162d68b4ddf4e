import type { SuggestionState } from './lifecycle';

/** What each suggestion state is called on every page: one table, so the panels and the pane agree. */
export const STATE_LABELS: Record<SuggestionState, string> = {
  pending: 'Waiting for approval',
  approved: 'Approved, about to run',
  rejected: 'Rejected',
  expired: 'Expired',
  scheduled: 'In the hold queue',
  stopped: 'Stopped',
  executing: 'Running',
  executed: 'Done',
  failed: 'Failed',
  dismissed: 'Dismissed',
  returned: 'Sent back to the agent',
  handed_over: 'Handed to a person to send',
  undoing: 'Being undone',
  undone: 'Undone',
  superseded: 'Replaced by a fresh triage',
};

/** States a person may still act on, or that still change by themselves: "waiting" on the pages. */
export const OPEN_STATES: ReadonlySet<SuggestionState> = new Set<SuggestionState>(['pending', 'scheduled', 'approved', 'executing', 'undoing']);

/** States that move on with no person acting (the execute stage is at work): both panels keep watching them. */
export const MOVING_STATES: ReadonlySet<SuggestionState> = new Set<SuggestionState>(['approved', 'executing', 'undoing']);
