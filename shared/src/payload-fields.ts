import type { ActionType } from './actions';

/**
 * How both panels show a payload: every field of every action type, in the order a person reads
 * them, with its label. Unlisted fields are shown by their name, so nothing is ever hidden.
 */
export const PAYLOAD_FIELDS: Record<ActionType, ReadonlyArray<{ key: string; label: string }>> = {
  artefact_update: [
    { key: 'artefact', label: 'Artefact' },
    { key: 'change', label: 'Change' },
  ],
  heartbeat_log: [{ key: 'note', label: 'Log entry' }],
  notification_internal: [
    { key: 'recipient', label: 'To' },
    { key: 'message', label: 'Message' },
  ],
  jira_comment: [
    { key: 'issueKey', label: 'Issue' },
    { key: 'body', label: 'Comment text' },
  ],
  email_stakeholder: [
    { key: 'to', label: 'To' },
    { key: 'subject', label: 'Subject' },
    { key: 'body', label: 'Email text' },
  ],
  jira_status_change: [
    { key: 'issueKey', label: 'Issue' },
    { key: 'toStatus', label: 'New status' },
  ],
  email_external: [
    { key: 'to', label: 'To' },
    { key: 'subject', label: 'Subject' },
    { key: 'body', label: 'Email text' },
  ],
  jira_create_ticket: [
    { key: 'projectKey', label: 'Project' },
    { key: 'issueType', label: 'Type' },
    { key: 'summary', label: 'Summary' },
    { key: 'description', label: 'Description' },
  ],
  scope_change: [
    { key: 'issueKey', label: 'Issue' },
    { key: 'summary', label: 'Summary' },
    { key: 'details', label: 'Details' },
  ],
  milestone_change: [
    { key: 'milestone', label: 'Milestone' },
    { key: 'currentDate', label: 'Current date' },
    { key: 'proposedDate', label: 'Proposed date' },
    { key: 'reason', label: 'Reason' },
  ],
  delete_data: [],
  share_confidential: [],
  modify_integration_config: [],
  change_own_autonomy_level: [],
};

