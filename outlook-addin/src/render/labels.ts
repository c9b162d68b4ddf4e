import type { ActionType, Signal, SignalKind, Triage } from '@pm-agent/shared';

/**
 * Words for the pane, as tables keyed by the domain's own names. Action, boundary, category and
 * status labels come from shared (ACTION_CATALOGUE, BOUNDARY_INFO, CATEGORIES, TRIAGE_STATUSES);
 * these add what only the pane needs.
 */

export const SIGNAL_LABELS: Record<SignalKind, string> = {
  instruction_override: 'Tries to override instructions',
  authority_claim: 'Claims authority or approval',
  autonomy_or_settings: 'Asks to change settings or autonomy',
  destructive_request: 'Asks to delete or destroy',
  exfiltration: 'Asks to send data somewhere',
  markdown_image: 'Image link that would load a URL',
  hidden_text: 'Hidden text',
  invisible_characters: 'Invisible or direction-changing characters',
  encoded_content: 'Encoded instructions',
  agent_addressed: 'Addressed to an AI assistant',
  deceptive_link: 'Link goes somewhere other than it shows',
  lookalike_domain: 'Address disguised as your own organisation’s',
  sensitive_data: 'Card number, bank account, code, password or key in a proposed action',
};

export const WHERE_LABELS: Record<Signal['where'], string> = {
  subject: 'in the subject',
  body: 'in the body',
  hidden: 'in hidden text',
  link: 'in a link',
  attachment: 'in an attachment name',
  sender: 'in the sender’s address',
  model: 'noticed by the model',
};

export const PRIORITY_LABELS: Record<NonNullable<Triage['priority']>, string> = {
  urgent: 'Urgent',
  high: 'High',
  normal: 'Normal',
  low: 'Low',
};

export const CLASSIFIER_LABELS: Record<Triage['classifier'], string> = {
  claude: 'Triaged by Claude',
  offline: 'Triaged by the offline classifier (no model)',
};

/** Labels and the states that still change by themselves (the pane watches them after a decision): one table each, in shared/. */
export { MOVING_STATES, STATE_LABELS } from '@pm-agent/shared';

/** Suggestions that are a reply to the open email: they get "Open reply". */
export const REPLY_ACTIONS: ReadonlySet<ActionType> = new Set(['email_external', 'email_stakeholder']);

/** Section headings: tests and people find the parts of a result by these. */
export const HEADINGS = {
  email: 'This email',
  status: 'Status',
  category: 'Category',
  priority: 'Priority',
  jira: 'Jira issues',
  summary: 'Summary',
  signals: 'Signs of injected instructions',
  links: 'Links in this email',
  notices: 'Notes',
  suggestions: 'Suggestions',
} as const;

export const BUTTONS = {
  triage: 'Triage this email',
  retry: 'Try again',
  approve: 'Approve',
  edit: 'Edit then approve',
  saveAndApprove: 'Approve edited text',
  reject: 'Reject',
  confirmReject: 'Reject with this reason',
  cancel: 'Cancel',
  stop: 'Stop',
  reply: 'Open as reply',
  editReply: 'Edit then open as reply',
  saveAndReply: 'Open my version as reply',
  replyAgain: 'Open the reply again',
  cancelTriage: 'Cancel',
  /** While a decision waits for the service. */
  stopWaiting: 'Cancel',
  retryDecision: 'Try again',
  /** A rejected, dismissed or stopped suggestion, within the undo window. */
  reopen: 'Reopen',
  /** An executed action that has an undo (a Jira comment), within the undo window. */
  undo: 'Undo',
} as const;
