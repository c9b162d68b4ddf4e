/**
 * Seed data and workflow of the Jira double (a local stand-in for Jira Cloud, not Jira).
 * One project, ABC, whose issues match the local stack's sample suggestions (ABC-123 is the
 * Northwind integration, ABC-124 the audit-log export), and a small four-status workflow.
 */

export const STATUS_NAMES = ['To Do', 'In Progress', 'In Review', 'Done'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

export interface DoubleStatus {
  id: string;
  name: StatusName;
  category: { id: number; key: 'new' | 'indeterminate' | 'done'; colorName: string; name: string };
}

const TODO = { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' } as const;
const DOING = { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' } as const;
const DONE = { id: 3, key: 'done', colorName: 'green', name: 'Done' } as const;

export const STATUSES: Record<StatusName, DoubleStatus> = {
  'To Do': { id: '10000', name: 'To Do', category: TODO },
  'In Progress': { id: '3', name: 'In Progress', category: DOING },
  'In Review': { id: '10001', name: 'In Review', category: DOING },
  Done: { id: '10002', name: 'Done', category: DONE },
};

/** Transitions are named as in a typical Jira Software workflow; some names differ from their target status. */
export interface DoubleTransition {
  id: string;
  name: string;
  from: readonly StatusName[];
  to: StatusName;
}

export const WORKFLOW: readonly DoubleTransition[] = [
  { id: '11', name: 'Start Progress', from: ['To Do'], to: 'In Progress' },
  { id: '21', name: 'Request Review', from: ['In Progress'], to: 'In Review' },
  { id: '31', name: 'Done', from: ['In Progress', 'In Review'], to: 'Done' },
  { id: '41', name: 'Stop Progress', from: ['In Progress'], to: 'To Do' },
  { id: '51', name: 'Request Changes', from: ['In Review'], to: 'In Progress' },
  { id: '61', name: 'Reopen', from: ['Done'], to: 'To Do' },
];

export interface DoubleProject {
  key: string;
  name: string;
  /** Issue type names this project accepts; default Task, Story, Bug, Epic. */
  issueTypes?: string[];
}

export interface DoubleIssueSeed {
  key: string;
  summary: string;
  status?: StatusName;
  issueType?: string;
  /** Plain text; stored as ADF. */
  description?: string;
}

export const DEFAULT_ISSUE_TYPES = ['Task', 'Story', 'Bug', 'Epic'];

export const DEFAULT_PROJECTS: DoubleProject[] = [{ key: 'ABC', name: 'Atlas Billing Console' }];

export const DEFAULT_ISSUES: DoubleIssueSeed[] = [
  {
    key: 'ABC-123',
    summary: 'Integrate Northwind sandbox API',
    status: 'In Progress',
    issueType: 'Task',
    description: 'Connect invoicing to the Northwind sandbox API and run the integration test suite against it.\nBlocked until Northwind opens the sandbox.',
  },
  {
    key: 'ABC-124',
    summary: 'Export audit log as CSV',
    status: 'In Progress',
    issueType: 'Story',
    description: 'As an administrator I can download the audit log for a date range as a CSV file.',
  },
  { key: 'ABC-125', summary: 'Invoice PDF shows the wrong VAT rate for Irish customers', status: 'To Do', issueType: 'Bug' },
  { key: 'ABC-126', summary: 'Rotate Northwind API credentials before go-live', status: 'To Do', issueType: 'Task' },
  { key: 'ABC-127', summary: 'Weekly status report for the beta cohort', status: 'In Review', issueType: 'Story' },
  { key: 'ABC-128', summary: 'Alert on failed payment webhooks in staging', status: 'Done', issueType: 'Task' },
];
