import type { Boundary } from './boundaries';

/**
 * The suggestion lifecycle as a table. Approval path: pending -> approved | rejected | expired;
 * approved -> executing -> executed | failed. Hold path: scheduled -> executing -> executed | failed,
 * or scheduled -> stopped. Email path: the agent never sends mail, so approving an email hands it
 * to the person (pending -> handed_over), who sends it from Outlook's reply form. Anything not in
 * the table is refused.
 */
export const SUGGESTION_STATES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'scheduled',
  'stopped',
  'executing',
  'executed',
  'failed',
  /** Dismissed by a human: no action, no reason needed. */
  'dismissed',
  /** Sent back to the agent with guidance ("ask the agent to redo"); the guidance is the decision's reason. */
  'returned',
  'handed_over',
  /** An undo was asked for: the execute stage is removing what it did (the comment it posted). */
  'undoing',
  /** Taken back within the undo window: what the execute stage did is gone again. */
  'undone',
  /** Still waiting when its email was triaged again: the fresh triage's suggestions replace it, so it can no longer be decided. */
  'superseded',
] as const;
export type SuggestionState = (typeof SUGGESTION_STATES)[number];

export const LIFECYCLE = {
  approve: { from: ['pending'], to: 'approved' },
  handOver: { from: ['pending'], to: 'handed_over' },
  reject: { from: ['pending'], to: 'rejected' },
  expire: { from: ['pending'], to: 'expired' },
  stop: { from: ['scheduled'], to: 'stopped' },
  dismiss: { from: ['pending'], to: 'dismissed' },
  /** Re-triage: a suggestion still waiting (for a person or its hold timer) gives way to the fresh triage's. */
  supersede: { from: ['pending', 'scheduled'], to: 'superseded' },
  respond: { from: ['pending'], to: 'returned' },
  /** Within the undo window (settings.undoWindowMinutes) a closed decision can be taken back. */
  reopen: { from: ['rejected', 'dismissed', 'stopped'], to: 'pending' },
  /** A held item approved to run at once, without waiting for its hold timer. */
  runNow: { from: ['scheduled'], to: 'approved' },
  /** A held item edited before it runs: it keeps its timer and runs on the editor's approval. */
  editHeld: { from: ['scheduled'], to: 'scheduled' },
  /** A failed status change tried again with another status Jira offered. */
  retry: { from: ['failed'], to: 'approved' },
  /** Within the undo window an executed action with an undo (UNDOABLE) is taken back by the execute stage. */
  undo: { from: ['executed'], to: 'undoing' },
  undoDone: { from: ['undoing'], to: 'undone' },
  /** The undo could not be done: the action stays done, and says why. */
  undoFail: { from: ['undoing'], to: 'executed' },
  start: { from: ['approved', 'scheduled'], to: 'executing' },
  succeed: { from: ['executing'], to: 'executed' },
  fail: { from: ['executing'], to: 'failed' },
} as const satisfies Record<string, { from: readonly SuggestionState[]; to: SuggestionState }>;
export type LifecycleEvent = keyof typeof LIFECYCLE;

/** Where a new suggestion starts, by effective boundary. Never-do suggestions are never created. */
export const INITIAL_STATE = {
  auto: 'approved',
  hold: 'scheduled',
  approval: 'pending',
} as const satisfies Record<Exclude<Boundary, 'never'>, SuggestionState>;

export const TERMINAL_STATES: readonly SuggestionState[] = ['rejected', 'expired', 'stopped', 'executed', 'failed', 'dismissed', 'returned', 'handed_over', 'undone', 'superseded'];

/**
 * The states the execute stage is working in, and the events that settle each when it answers
 * (done or failed); null for every other state. Total, so a new state must say whether it is one.
 */
export const IN_FLIGHT: Record<SuggestionState, { done: LifecycleEvent; fail: LifecycleEvent } | null> = {
  pending: null,
  approved: null,
  rejected: null,
  expired: null,
  scheduled: null,
  stopped: null,
  executing: { done: 'succeed', fail: 'fail' },
  executed: null,
  failed: null,
  dismissed: null,
  returned: null,
  handed_over: null,
  undoing: { done: 'undoDone', fail: 'undoFail' },
  undone: null,
  superseded: null,
};

export function canApply(event: LifecycleEvent, state: SuggestionState): boolean {
  return (LIFECYCLE[event].from as readonly SuggestionState[]).includes(state);
}

export class LifecycleError extends Error {
  constructor(
    readonly event: LifecycleEvent,
    readonly state: SuggestionState,
  ) {
    super(`cannot ${event} a suggestion that is ${state}`);
    this.name = 'LifecycleError';
  }
}

/** The state after `event`, or a LifecycleError naming why not. */
export function nextState(event: LifecycleEvent, state: SuggestionState): SuggestionState {
  if (!canApply(event, state)) throw new LifecycleError(event, state);
  return LIFECYCLE[event].to;
}
