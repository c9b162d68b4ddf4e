import type { ActionPayload, ActionType } from '@pm-agent/shared';

/**
 * How each action type is carried out, as a table. A type with no executor cannot run: the
 * execute stage answers "failed" with the reason, and never-do types have none by construction.
 */
export interface JiraPort {
  findCommentByMarker(issueKey: string, marker: string): Promise<{ id: string } | null | undefined>;
  addComment(issueKey: string, comment: { text: string; marker: string }): Promise<{ id: string }>;
  /** 'gone' when Jira has no such comment (any more). */
  deleteComment(issueKey: string, id: string): Promise<'deleted' | 'gone'>;
  transitionTo(issueKey: string, statusName: string): Promise<unknown>;
  createIssue(fields: { projectKey: string; issueType: string; summary: string; description: string; marker: string }): Promise<{ key: string }>;
  findIssueByMarker(projectKey: string, marker: string): Promise<{ key: string } | null>;
}

export interface ExecutorContext {
  jira: JiraPort;
  /** Browser-facing Jira URL for result links. */
  jiraBaseUrl: string;
  /** The suggestion id: written with the action so a retry can find what a crashed attempt already did. */
  marker: string;
}

export interface Executed {
  summary: string;
  link?: string;
}

type Executor<T extends ActionType> = (payload: ActionPayload<T>, ctx: ExecutorContext) => Promise<Executed>;

const commentLink = (ctx: ExecutorContext, key: string, id: string) => `${ctx.jiraBaseUrl}/browse/${key}?focusedCommentId=${id}`;

const NOT_CONNECTED = (what: string) => async (): Promise<Executed> => ({
  summary: `Recorded. ${what} is not connected in this build, so nothing outside the audit trail changed.`,
});

/** Every action type has a row (`null`: no executor, and why is in noExecutorReason), so a new type does not compile until it is decided. */
export const EXECUTORS: { [T in ActionType]: Executor<T> | null } = {
  jira_comment: async ({ issueKey, body }, ctx) => {
    // Idempotent by marker: a retry after a crash finds the comment the first attempt posted.
    const existing = await ctx.jira.findCommentByMarker(issueKey, ctx.marker);
    if (existing) return { summary: `Comment already on ${issueKey} (posted by an earlier attempt).`, link: commentLink(ctx, issueKey, existing.id) };
    const posted = await ctx.jira.addComment(issueKey, { text: body, marker: ctx.marker });
    return { summary: `Comment posted on ${issueKey}.`, link: commentLink(ctx, issueKey, posted.id) };
  },
  jira_status_change: async ({ issueKey, toStatus }, ctx) => {
    await ctx.jira.transitionTo(issueKey, toStatus); // moving to the status it already has is harmless on retry
    return { summary: `${issueKey} moved to ${toStatus}.`, link: `${ctx.jiraBaseUrl}/browse/${issueKey}` };
  },
  jira_create_ticket: async ({ projectKey, issueType, summary, description }, ctx) => {
    // Idempotent by marker: a retry after a crash or a lost answer finds the ticket instead of creating a second.
    const existing = await ctx.jira.findIssueByMarker(projectKey, ctx.marker);
    if (existing) return { summary: `${existing.key} already exists for this suggestion (created by an earlier attempt): ${summary}`, link: `${ctx.jiraBaseUrl}/browse/${existing.key}` };
    const created = await ctx.jira.createIssue({ projectKey, issueType, summary, description, marker: ctx.marker });
    return { summary: `Created ${created.key}: ${summary}`, link: `${ctx.jiraBaseUrl}/browse/${created.key}` };
  },
  heartbeat_log: NOT_CONNECTED('A heartbeat log'),
  artefact_update: NOT_CONNECTED('The artefact store'),
  notification_internal: NOT_CONNECTED('Internal chat'),
  // The agent never sends mail: the Outlook pane opens the reply form pre-filled for the person to send.
  email_stakeholder: null,
  email_external: null,
  scope_change: null,
  milestone_change: null,
  delete_data: null,
  share_confidential: null,
  modify_integration_config: null,
  change_own_autonomy_level: null,
};

type Undoer<T extends ActionType> = (payload: ActionPayload<T>, ctx: ExecutorContext) => Promise<Executed>;

/**
 * How an executed action is taken back, as a table matching shared UNDOABLE (a test holds them
 * equal): only a posted comment, found again by its marker, never by an id from the record.
 */
export const UNDOERS: { [T in ActionType]: Undoer<T> | null } = {
  jira_comment: async ({ issueKey }, ctx) => {
    const posted = await ctx.jira.findCommentByMarker(issueKey, ctx.marker);
    // Already gone (deleted by hand, or by an earlier attempt whose answer was lost): the undo holds.
    if (!posted) return { summary: `Undone: the comment is no longer on ${issueKey}.` };
    const done = await ctx.jira.deleteComment(issueKey, posted.id);
    return { summary: done === 'deleted' ? `Undone: the comment was removed from ${issueKey}.` : `Undone: the comment is no longer on ${issueKey}.` };
  },
  jira_status_change: null,
  jira_create_ticket: null,
  heartbeat_log: null,
  artefact_update: null,
  notification_internal: null,
  email_stakeholder: null,
  email_external: null,
  scope_change: null,
  milestone_change: null,
  delete_data: null,
  share_confidential: null,
  modify_integration_config: null,
  change_own_autonomy_level: null,
};
