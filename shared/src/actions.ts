import * as z from 'zod';
import type { Boundary } from './boundaries';
import { EmailAddress, IssueKey, ProjectKey, line, text } from './text';

/**
 * The action catalogue: every action type the agent may propose, its boundary in the agent's
 * specification, what it touches, and the schema its payload must pass. Data, not if-chains:
 * the backend, the execute stage and both panels read this one table.
 */

const Recipients = z.array(EmailAddress).check(z.minLength(1, 'needs at least one recipient'), z.maxLength(50, 'at most 50 recipients'));
const IsoDate = z.iso.date('must be a date as YYYY-MM-DD');

/** Never-do actions are recognised so they can be refused by name; their payload shape is irrelevant. */
const Anything = z.record(z.string(), z.unknown());

export const ACTION_CATALOGUE = {
  artefact_update: {
    boundary: 'auto',
    label: 'Update a project artefact',
    payload: z.strictObject({ artefact: line(200), change: text(10_000) }),
  },
  heartbeat_log: {
    boundary: 'auto',
    label: 'Write a heartbeat log entry',
    payload: z.strictObject({ note: text(2_000) }),
  },
  notification_internal: {
    boundary: 'auto',
    label: 'Notify the team internally',
    payload: z.strictObject({ recipient: line(200), message: text(2_000) }),
  },
  jira_comment: {
    boundary: 'auto',
    label: 'Comment on a Jira issue',
    payload: z.strictObject({ issueKey: IssueKey, body: text(32_000) }),
  },
  email_stakeholder: {
    boundary: 'hold',
    label: 'Email an internal stakeholder',
    payload: z.strictObject({ to: Recipients, subject: line(255), body: text(30_000) }),
  },
  jira_status_change: {
    boundary: 'hold',
    label: 'Change a Jira issue status',
    payload: z.strictObject({ issueKey: IssueKey, toStatus: line(100) }),
  },
  email_external: {
    boundary: 'approval',
    label: 'Email someone outside the organisation',
    payload: z.strictObject({ to: Recipients, subject: line(255), body: text(30_000) }),
  },
  jira_create_ticket: {
    boundary: 'approval',
    label: 'Create a Jira ticket',
    payload: z.strictObject({
      projectKey: ProjectKey,
      issueType: line(50),
      summary: line(255),
      description: text(32_000, 0),
    }),
  },
  scope_change: {
    boundary: 'approval',
    label: 'Change project scope',
    payload: z.strictObject({ issueKey: z.optional(IssueKey), summary: line(255), details: text(10_000) }),
  },
  milestone_change: {
    boundary: 'approval',
    label: 'Move a milestone',
    payload: z.strictObject({
      milestone: line(200),
      currentDate: z.optional(IsoDate),
      proposedDate: IsoDate,
      reason: text(2_000),
    }),
  },
  delete_data: { boundary: 'never', label: 'Delete data', payload: Anything },
  share_confidential: { boundary: 'never', label: 'Share confidential information', payload: Anything },
  modify_integration_config: { boundary: 'never', label: 'Change integration settings', payload: Anything },
  change_own_autonomy_level: { boundary: 'never', label: "Change the agent's own autonomy", payload: Anything },
} as const satisfies Record<string, { boundary: Boundary; label: string; payload: z.core.$ZodType }>;

export type ActionType = keyof typeof ACTION_CATALOGUE;
export const ACTION_TYPES = Object.keys(ACTION_CATALOGUE) as [ActionType, ...ActionType[]];
export const ActionTypeSchema = z.enum(ACTION_TYPES, { error: `must be one of: ${ACTION_TYPES.join(', ')}` });

export type ActionPayload<T extends ActionType> = z.infer<(typeof ACTION_CATALOGUE)[T]['payload']>;
export type AnyActionPayload = { [T in ActionType]: ActionPayload<T> }[ActionType];

export function specBoundary(type: ActionType): Boundary {
  return ACTION_CATALOGUE[type].boundary;
}

export function isNeverDo(type: ActionType): boolean {
  return ACTION_CATALOGUE[type].boundary === 'never';
}

/** The Jira issue an action concerns, if any: how panels find the suggestions for "this issue". */
export function issueKeyOf(payload: unknown): string | undefined {
  if (payload && typeof payload === 'object' && 'issueKey' in payload) {
    const key = (payload as { issueKey?: unknown }).issueKey;
    return typeof key === 'string' ? key : undefined;
  }
  return undefined;
}
