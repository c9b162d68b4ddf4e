/** Jira Cloud REST v3: the adapter, its errors, and ADF helpers. */
export { adfToText, textToAdf } from './adf';
export type { AdfDoc, AdfHardBreak, AdfInline, AdfParagraph, AdfText } from './adf';
export { validateAdf } from './adf-validate';
export type { AdfValidation } from './adf-validate';
export { JiraClient, MARKER_PROPERTY } from './jira-client';
export type { CreatedIssue, JiraClientOptions, JiraComment, JiraIssue, JiraTransition, PostedComment, TransitionResult } from './jira-client';
export { JiraError, JiraTransitionError } from './jira-errors';
export type { AvailableTransition, JiraErrorKind } from './jira-errors';
