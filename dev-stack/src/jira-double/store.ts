import { textToAdf } from '@pm-agent/backend/jira';
import {
  DEFAULT_ISSUE_TYPES,
  STATUS_NAMES,
  WORKFLOW,
  type DoubleIssueSeed,
  type DoubleProject,
  type DoubleTransition,
  type StatusName,
} from './seed';

/** The Jira double's memory: projects, issues, comments. In memory only; a restart reseeds. */

export interface EntityProperty {
  key: string;
  value: unknown;
}

export interface StoredComment {
  id: string;
  body: unknown;
  properties: EntityProperty[];
  created: string;
  updated: string;
}

export interface StoredIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  status: StatusName;
  issueType: string;
  description: unknown;
  properties: EntityProperty[];
  /** Jira labels: single words, searchable with JQL (`labels = "…"`). */
  labels: string[];
  created: string;
  updated: string;
  comments: StoredComment[];
}

export interface StoredProject {
  id: string;
  key: string;
  name: string;
  issueTypes: string[];
}

const ISSUE_KEY = /^([A-Z][A-Z0-9_]*)-([1-9][0-9]*)$/;

/** Jira's timestamp format: 2024-05-02T09:14:00.000+0000. */
export function jiraTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export class DoubleStore {
  readonly projects = new Map<string, StoredProject>();
  readonly #issuesByKey = new Map<string, StoredIssue>();
  readonly #issuesById = new Map<string, StoredIssue>();
  #nextIssueId = 10_100;
  #nextCommentId = 10_000;

  constructor(
    projects: DoubleProject[],
    issues: DoubleIssueSeed[],
    private readonly now: () => Date,
  ) {
    projects.forEach((p, i) => {
      if (!/^[A-Z][A-Z0-9_]{1,9}$/.test(p.key)) throw new Error(`Jira double: "${p.key}" is not a project key.`);
      this.projects.set(p.key, { id: String(10_000 + i), key: p.key, name: p.name, issueTypes: p.issueTypes ?? DEFAULT_ISSUE_TYPES });
    });
    for (const seed of issues) {
      const m = ISSUE_KEY.exec(seed.key);
      const project = m?.[1] === undefined ? undefined : this.projects.get(m[1]);
      if (!project) throw new Error(`Jira double: issue ${seed.key} does not belong to a configured project.`);
      const status = seed.status ?? 'To Do';
      if (!STATUS_NAMES.includes(status)) throw new Error(`Jira double: issue ${seed.key} has unknown status "${status}".`);
      this.#add(project, seed.key, seed.summary, seed.issueType ?? project.issueTypes[0] ?? 'Task', status, seed.description ? textToAdf(seed.description) : null, []);
    }
  }

  /** By key (case-insensitive, as Jira) or by numeric id. */
  issue(idOrKey: string): StoredIssue | undefined {
    return /^\d+$/.test(idOrKey) ? this.#issuesById.get(idOrKey) : this.#issuesByKey.get(idOrKey.toUpperCase());
  }

  allIssues(): StoredIssue[] {
    return [...this.#issuesByKey.values()];
  }

  addComment(issue: StoredIssue, body: unknown, properties: EntityProperty[]): StoredComment {
    const at = jiraTime(this.now());
    const comment: StoredComment = { id: String(this.#nextCommentId++), body, properties, created: at, updated: at };
    issue.comments.push(comment);
    issue.updated = at;
    return comment;
  }

  /** False when there is no such comment (already deleted, or never there). */
  deleteComment(issue: StoredIssue, id: string): boolean {
    const at = issue.comments.findIndex((c) => c.id === id);
    if (at < 0) return false;
    issue.comments.splice(at, 1);
    issue.updated = jiraTime(this.now());
    return true;
  }

  transitionsFor(issue: StoredIssue): DoubleTransition[] {
    return WORKFLOW.filter((t) => t.from.includes(issue.status));
  }

  applyTransition(issue: StoredIssue, transition: DoubleTransition): void {
    issue.status = transition.to;
    issue.updated = jiraTime(this.now());
  }

  createIssue(project: StoredProject, fields: { summary: string; issueType: string; description: unknown; labels?: string[] }, properties: EntityProperty[]): StoredIssue {
    let max = 0;
    for (const key of this.#issuesByKey.keys()) {
      const m = ISSUE_KEY.exec(key);
      if (m?.[1] === project.key) max = Math.max(max, Number(m[2]));
    }
    const issue = this.#add(project, `${project.key}-${max + 1}`, fields.summary, fields.issueType, 'To Do', fields.description, properties);
    issue.labels = [...(fields.labels ?? [])];
    return issue;
  }

  /** Issues of a project carrying a label, oldest first (what `project = X AND labels = Y ORDER BY created ASC` finds). */
  issuesWithLabel(projectKey: string, label: string): StoredIssue[] {
    return [...this.#issuesByKey.values()].filter((i) => i.projectKey === projectKey && i.labels.includes(label)).sort((a, b) => Number(a.id) - Number(b.id));
  }

  #add(project: StoredProject, key: string, summary: string, issueType: string, status: StatusName, description: unknown, properties: EntityProperty[]): StoredIssue {
    if (this.#issuesByKey.has(key)) throw new Error(`Jira double: issue ${key} is seeded twice.`);
    const at = jiraTime(this.now());
    const issue: StoredIssue = {
      id: String(this.#nextIssueId++),
      key,
      projectKey: project.key,
      summary,
      status,
      issueType,
      description,
      properties,
      labels: [],
      created: at,
      updated: at,
      comments: [],
    };
    this.#issuesByKey.set(key, issue);
    this.#issuesById.set(issue.id, issue);
    return issue;
  }
}
