import { STATE_LABELS, SUGGESTION_STATES, type Boundary, type Decision, type Provenance, type SuggestionState } from '@pm-agent/shared';
import type { ErrorKind } from '../common/contract';

/**
 * Words and colours for the pages, as tables keyed by the domain's own names. Action and boundary
 * labels come from shared (ACTION_CATALOGUE, BOUNDARY_INFO, AUTONOMY_LEVELS); these add what only
 * a page needs.
 */

export type LozengeAppearance = 'default' | 'inprogress' | 'moved' | 'new' | 'removed' | 'success';
export type MessageAppearance = 'information' | 'warning' | 'error' | 'success' | 'discovery';

export const BOUNDARY_APPEARANCE: Record<Boundary, LozengeAppearance> = {
  auto: 'success',
  hold: 'moved',
  approval: 'new',
  never: 'removed',
};

const STATE_APPEARANCE: Record<SuggestionState, LozengeAppearance> = {
  pending: 'new',
  approved: 'inprogress',
  rejected: 'removed',
  expired: 'default',
  scheduled: 'moved',
  stopped: 'removed',
  executing: 'inprogress',
  executed: 'success',
  failed: 'removed',
  dismissed: 'default',
  returned: 'moved',
  handed_over: 'success',
  undoing: 'inprogress',
  undone: 'default',
  superseded: 'default',
};

export const STATE_INFO = Object.fromEntries(
  SUGGESTION_STATES.map((state) => [state, { label: STATE_LABELS[state], appearance: STATE_APPEARANCE[state] }]),
) as Record<SuggestionState, { label: string; appearance: LozengeAppearance }>;

/** States that will still change by themselves (one set in shared/): the panel watches them after a decision. */
export { MOVING_STATES } from '@pm-agent/shared';

export const SOURCE_LABELS: Record<Provenance['source'], string> = {
  email: 'Email',
  jira_issue: 'Jira issue',
  agent: 'The agent itself',
};

export const DECISION_VERBS: Record<Decision['kind'], string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  stopped: 'Stopped',
  expired: 'Expired',
  dismissed: 'Dismissed',
  returned: 'Sent back to the agent',
  superseded: 'Replaced by a fresh triage',
};

export const ERROR_VIEWS: Record<ErrorKind, { title: string; appearance: MessageAppearance }> = {
  not_configured: { title: 'The PM agent is not connected yet', appearance: 'information' },
  unreachable: { title: 'Cannot reach the PM agent backend', appearance: 'error' },
  auth: { title: 'The backend does not accept this app’s key', appearance: 'error' },
  not_approver: { title: 'You are not on the approver list', appearance: 'warning' },
  not_allowed: { title: 'Not allowed here', appearance: 'warning' },
  conflict: { title: 'This suggestion changed', appearance: 'warning' },
  unprocessable: { title: 'The backend cannot do this', appearance: 'error' },
  invalid_request: { title: 'That cannot be sent as it is', appearance: 'error' },
  not_found: { title: 'Not found', appearance: 'warning' },
  busy: { title: 'The backend is busy', appearance: 'warning' },
  backend_error: { title: 'The backend failed', appearance: 'error' },
  internal: { title: 'Something went wrong in the app', appearance: 'error' },
  cancelled: { title: 'You stopped waiting', appearance: 'information' },
};
