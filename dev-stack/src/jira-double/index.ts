/** The Jira double: a local stand-in for Jira Cloud REST v3 (see server.ts). */
export { startJiraDouble } from './server';
export type { IssueSnapshot, JiraDouble, JiraDoubleHooks, JiraDoubleOptions, JiraDoubleRequestInfo, JiraDoubleState } from './server';
export { DEFAULT_ISSUES, DEFAULT_PROJECTS, STATUS_NAMES, WORKFLOW } from './seed';
export type { DoubleIssueSeed, DoubleProject, StatusName } from './seed';
export type { StoredComment } from './store';
