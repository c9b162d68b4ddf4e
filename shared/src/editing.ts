import { ACTION_CATALOGUE, type ActionType } from './actions';

/**
 * "Edit then approve" edits one text field per action type: the words a person will read. Fields
 * that route the action (issue key, recipients, target status) are never editable, so an edit
 * cannot redirect an action: both panels offer only this field, and the backend refuses an edit
 * that changes anything else (editChangesOnlyText). `null`: approve or reject only. Every action type
 * has a row, so a new type does not compile until someone decides.
 */
export const EDITABLE_TEXT: Record<ActionType, { field: string; label: string } | null> = {
  artefact_update: { field: 'change', label: 'Change to make' },
  heartbeat_log: { field: 'note', label: 'Log entry' },
  notification_internal: { field: 'message', label: 'Message' },
  jira_comment: { field: 'body', label: 'Comment text' },
  email_stakeholder: { field: 'body', label: 'Email text' },
  email_external: { field: 'body', label: 'Email text' },
  jira_create_ticket: { field: 'description', label: 'Ticket description' },
  scope_change: { field: 'details', label: 'Scope change details' },
  milestone_change: { field: 'reason', label: 'Reason given' },
  jira_status_change: null, // the target status routes the action: approve or reject only
  delete_data: null,
  share_confidential: null,
  modify_integration_config: null,
  change_own_autonomy_level: null,
};

/** The text an approver would edit, or undefined when this action type has none. */
export function editableText(actionType: ActionType, payload: Record<string, unknown>): string | undefined {
  const editable = EDITABLE_TEXT[actionType];
  if (!editable) return undefined;
  const value = payload[editable.field];
  return typeof value === 'string' ? value : undefined;
}

export type EditOutcome =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; problem: string };

/**
 * The payload with the approver's text in place of the editable field, checked against the action
 * type's schema: the same check the backend and the execute stage make.
 */
export function editedPayload(actionType: ActionType, payload: Record<string, unknown>, text: string): EditOutcome {
  const editable = EDITABLE_TEXT[actionType];
  if (!editable) return { ok: false, problem: `${ACTION_CATALOGUE[actionType].label}: this kind of action cannot be edited, only approved or rejected.` };
  const next = { ...payload, [editable.field]: text };
  const parsed = ACTION_CATALOGUE[actionType].payload.safeParse(next);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => i.message).join('; ');
    return { ok: false, problem: `${editable.label} ${why}.` };
  }
  return { ok: true, payload: parsed.data as Record<string, unknown> };
}

/**
 * Whether `edited` differs from `original` only in the action type's editable text field. The
 * backend applies this to every edited approval, whichever client sent it.
 */
export function editChangesOnlyText(actionType: ActionType, original: Record<string, unknown>, edited: Record<string, unknown>): { ok: true } | { ok: false; problem: string } {
  const editable = EDITABLE_TEXT[actionType];
  if (!editable) return { ok: false, problem: `${ACTION_CATALOGUE[actionType].label} cannot be edited, only approved or rejected.` };
  const keys = new Set([...Object.keys(original), ...Object.keys(edited)]);
  for (const key of keys) {
    if (key === editable.field) continue;
    if (JSON.stringify(original[key]) !== JSON.stringify(edited[key])) {
      return { ok: false, problem: `An edit may change only ${editable.label.toLowerCase()} (${editable.field}); ${key} must stay as the agent proposed it.` };
    }
  }
  return { ok: true };
}
