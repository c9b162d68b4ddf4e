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
] as const;
export type SuggestionState = (typeof SUGGESTION_STATES)[number];

export const LIFECYCLE = {
  approve: { from: ['pending'], to: 'approved' },
  handOver: { from: ['pending'], to: 'handed_over' },
  reject: { from: ['pending'], to: 'rejected' },
  expire: { from: ['pending'], to: 'expired' },
  stop: { from: ['scheduled'], to: 'stopped' },
  dismiss: { from: ['pending'], to: 'dismissed' },
  respond: { from: ['pending'], to: 'returned' },
  /** Within the undo window (settings.undoWindowMinutes) a closed decision can be taken back. */
  reopen: { from: ['rejected', 'dismissed', 'stopped'], to: 'pending' },
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

export const TERMINAL_STATES: readonly SuggestionState[] = ['rejected', 'expired', 'stopped', 'executed', 'failed', 'dismissed', 'returned', 'handed_over'];

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
