import { STATUSES, type DoubleTransition, type StatusName } from './seed';
import type { StoredComment, StoredIssue, StoredProject } from './store';

/** JSON bodies shaped as Jira Cloud REST v3 sends them (the fields clients commonly read). */

export interface DoubleUser {
  accountId: string;
  emailAddress: string;
  displayName: string;
}

export function jiraErrorBody(errorMessages: string[], errors: Record<string, string> = {}) {
  return { errorMessages, errors };
}

function statusJson(base: string, name: StatusName) {
  const s = STATUSES[name];
  return {
    self: `${base}/rest/api/3/status/${s.id}`,
    description: '',
    iconUrl: `${base}/images/icons/statuses/generic.png`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${base}/rest/api/3/statuscategory/${s.category.id}`, ...s.category },
  };
}

function userJson(base: string, user: DoubleUser) {
  return {
    self: `${base}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    emailAddress: user.emailAddress,
    displayName: user.displayName,
    active: true,
    timeZone: 'Etc/UTC',
    accountType: 'atlassian',
  };
}

export function issueJson(base: string, issue: StoredIssue, project: StoredProject, propertyKeys: string[] | undefined) {
  const typeIndex = Math.max(0, project.issueTypes.indexOf(issue.issueType));
  const props = propertyKeys === undefined ? undefined : issue.properties.filter((p) => propertyKeys.includes('*all') || propertyKeys.includes(p.key));
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields: {
      summary: issue.summary,
      status: statusJson(base, issue.status),
      issuetype: { self: `${base}/rest/api/3/issuetype/${10_001 + typeIndex}`, id: String(10_001 + typeIndex), name: issue.issueType, subtask: false },
      project: { self: `${base}/rest/api/3/project/${project.id}`, id: project.id, key: project.key, name: project.name, projectTypeKey: 'software', simplified: false },
      description: issue.description ?? null,
      created: issue.created,
      updated: issue.updated,
    },
    ...(props ? { properties: Object.fromEntries(props.map((p) => [p.key, p.value])) } : {}),
  };
}

export function commentJson(base: string, issue: StoredIssue, comment: StoredComment, author: DoubleUser, withProperties: boolean) {
  const who = userJson(base, author);
  return {
    self: `${base}/rest/api/3/issue/${issue.id}/comment/${comment.id}`,
    id: comment.id,
    author: who,
    body: comment.body,
    updateAuthor: who,
    created: comment.created,
    updated: comment.updated,
    jsdPublic: true,
    ...(withProperties ? { properties: comment.properties } : {}),
  };
}

export function transitionJson(base: string, t: DoubleTransition) {
  return {
    id: t.id,
    name: t.name,
    to: statusJson(base, t.to),
    hasScreen: false,
    isGlobal: false,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  };
}
