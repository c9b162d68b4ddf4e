import { ACTION_CATALOGUE, type ActionType } from '@pm-agent/shared';

/**
 * "Edit then approve" edits one text field per action type: the words a person will read. Fields
 * that route the action (issue key, recipients, target status) are never editable, so an edit
 * cannot redirect an action. The same rule as the Jira panel.
 */
export const EDITABLE_TEXT: Partial<Record<ActionType, { field: string; label: string }>> = {
  artefact_update: { field: 'change', label: 'Change to make' },
  heartbeat_log: { field: 'note', label: 'Log entry' },
  notification_internal: { field: 'message', label: 'Message' },
  jira_comment: { field: 'body', label: 'Comment text' },
  email_stakeholder: { field: 'body', label: 'Email text' },
  email_external: { field: 'body', label: 'Email text' },
  jira_create_ticket: { field: 'description', label: 'Ticket description' },
  scope_change: { field: 'details', label: 'Scope change details' },
  milestone_change: { field: 'reason', label: 'Reason given' },
};

export function editableText(actionType: ActionType, payload: Record<string, unknown>): string | undefined {
  const editable = EDITABLE_TEXT[actionType];
  const value = editable ? payload[editable.field] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export type EditOutcome = { ok: true; payload: Record<string, unknown> } | { ok: false; problem: string };

/** The payload with the approver's text in place of the editable field, checked against the catalogue. */
export function editedPayload(actionType: ActionType, payload: Record<string, unknown>, text: string): EditOutcome {
  const editable = EDITABLE_TEXT[actionType];
  if (!editable) return { ok: false, problem: `${ACTION_CATALOGUE[actionType].label}: this kind of action cannot be edited, only approved or rejected.` };
  const parsed = ACTION_CATALOGUE[actionType].payload.safeParse({ ...payload, [editable.field]: text });
  if (!parsed.success) return { ok: false, problem: `${editable.label} ${parsed.error.issues.map((i) => i.message).join('; ')}.` };
  return { ok: true, payload: parsed.data as Record<string, unknown> };
}
