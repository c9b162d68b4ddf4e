import { adfToText } from '@pm-agent/backend/jira';
import { validateAdf } from '@pm-agent/backend/jira';
import { commentJson, issueJson, jiraErrorBody, transitionJson, type DoubleUser } from './representations';
import type { DoubleStore, EntityProperty, StoredIssue } from './store';

/**
 * The Jira double's routes, as pure functions from a parsed request to a reply. Shapes and
 * error bodies follow Jira Cloud REST v3: `{errorMessages: [], errors: {}}` with 400/404.
 */

export interface DoubleRequest {
  method: string;
  /** Path segments after /rest/api/3/. */
  segments: string[];
  query: URLSearchParams;
  /** Parsed JSON for POST, undefined otherwise. */
  body: unknown;
  /** The double's own origin, for `self` links. */
  base: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Extra detail for the request log (never sent): why a body was refused. */
  note?: string;
}

export interface HandlerContext {
  store: DoubleStore;
  author: DoubleUser;
}

const MAX_COMMENT_CHARS = 32_767; // Jira's limit for a comment
const MAX_PROPERTY_BYTES = 32_768; // Jira's limit for one entity property value
const MAX_PAGE = 5_000; // Jira's default and cap for comment pages

const ISSUE_NOT_FOUND: Reply = { status: 404, body: jiraErrorBody(['Issue does not exist or you do not have permission to see it.']) };
const bad = (errorMessages: string[], errors: Record<string, string> = {}, note?: string): Reply => ({ status: 400, body: jiraErrorBody(errorMessages, errors), ...(note ? { note } : {}) });
const notAllowed = (allow: string): Reply => ({ status: 405, body: jiraErrorBody([`Method not allowed; use ${allow}.`]), headers: { allow } });

export function route(ctx: HandlerContext, req: DoubleRequest): Reply {
  const [resource, ref, sub, subId, ...rest] = req.segments;
  if (resource === 'search' && ref === 'jql' && sub === undefined) return req.method === 'POST' ? searchJql(ctx, req) : notAllowed('POST');
  if (resource !== 'issue' || rest.length > 0) return notFound(req);
  if (ref === undefined) return req.method === 'POST' ? createIssue(ctx, req) : notAllowed('POST');
  if (sub === undefined) return req.method === 'GET' ? getIssue(ctx, req, ref) : notAllowed('GET');
  if (sub === 'comment' && subId === undefined) {
    if (req.method === 'GET') return listComments(ctx, req, ref);
    return req.method === 'POST' ? addComment(ctx, req, ref) : notAllowed('GET, POST');
  }
  if (sub === 'comment' && subId !== undefined) {
    if (req.method === 'GET') return getComment(ctx, req, ref, subId);
    return req.method === 'DELETE' ? deleteComment(ctx, ref, subId) : notAllowed('GET, DELETE');
  }
  if (sub === 'transitions' && subId === undefined) {
    if (req.method === 'GET') return listTransitions(ctx, req, ref);
    return req.method === 'POST' ? doTransition(ctx, req, ref) : notAllowed('GET, POST');
  }
  return notFound(req);
}

function notFound(req: DoubleRequest): Reply {
  return { status: 404, body: jiraErrorBody([`The Jira double has no resource at /rest/api/3/${req.segments.join('/')}.`]) };
}

function getIssue(ctx: HandlerContext, req: DoubleRequest, ref: string): Reply {
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  const props = req.query.get('properties');
  return { status: 200, body: issueJson(req.base, issue, projectOf(ctx, issue), props === null ? undefined : props.split(',').map((p) => p.trim())) };
}

function listComments(ctx: HandlerContext, req: DoubleRequest, ref: string): Reply {
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  const startAt = intParam(req.query, 'startAt', 0);
  const maxResults = intParam(req.query, 'maxResults', MAX_PAGE);
  if (startAt === undefined || maxResults === undefined) return bad(['startAt and maxResults must be non-negative integers.']);
  const orderBy = req.query.get('orderBy') ?? 'created';
  if (!['created', '+created', '-created'].includes(orderBy)) return bad([`orderBy accepts created, +created or -created, not "${orderBy}".`]);
  // Creation order is id order (ids only grow), which also breaks ties within one millisecond.
  const ordered = orderBy === '-created' ? [...issue.comments].reverse() : issue.comments;
  const withProps = (req.query.get('expand') ?? '').split(',').includes('properties');
  const page = ordered.slice(startAt, startAt + Math.min(maxResults, MAX_PAGE));
  return {
    status: 200,
    body: { startAt, maxResults: Math.min(maxResults, MAX_PAGE), total: issue.comments.length, comments: page.map((c) => commentJson(req.base, issue, c, ctx.author, withProps)) },
  };
}

function getComment(ctx: HandlerContext, req: DoubleRequest, ref: string, id: string): Reply {
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  const comment = issue.comments.find((c) => c.id === id);
  if (!comment) return { status: 404, body: jiraErrorBody([`Can not find a comment for the id: ${id}.`]) };
  const withProps = (req.query.get('expand') ?? '').split(',').includes('properties');
  return { status: 200, body: commentJson(req.base, issue, comment, ctx.author, withProps) };
}

/** DELETE …/comment/{id}, as Jira: 204 with no body; 404 when the issue or the comment is not there (any more). */
function deleteComment(ctx: HandlerContext, ref: string, id: string): Reply {
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  if (!ctx.store.deleteComment(issue, id)) return { status: 404, body: jiraErrorBody([`Can not find a comment for the id: ${id}.`]) };
  return { status: 204 };
}

function addComment(ctx: HandlerContext, req: DoubleRequest, ref: string): Reply {
  // Binding errors come first, as in Jira: the JSON is mapped before the issue is looked up.
  const body = asObject(req.body);
  if (!body) return bad(['The request body must be a JSON object.']);
  const unknown = unknownKey(body, ['body', 'properties']);
  if (unknown) return bad([`Unrecognized field "${unknown}" (the Jira double accepts body and properties).`]);
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  const properties = parseProperties(body.properties);
  if (typeof properties === 'string') return bad([properties]);
  if (body.body === undefined || body.body === null) return bad([], { comment: 'Comment body can not be empty!' });
  const adf = validateAdf(body.body);
  if (!adf.ok) return bad([], { comment: 'Comment body is not valid!' }, `ADF refused: ${adf.errors.slice(0, 3).join('; ')}`);
  if (adfToText(body.body).length > MAX_COMMENT_CHARS) {
    return bad([], { comment: 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.' });
  }
  const comment = ctx.store.addComment(issue, body.body, properties);
  const withProps = (req.query.get('expand') ?? '').split(',').includes('properties');
  return { status: 201, body: commentJson(req.base, issue, comment, ctx.author, withProps) };
}

function listTransitions(ctx: HandlerContext, req: DoubleRequest, ref: string): Reply {
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  return { status: 200, body: { expand: 'transitions', transitions: ctx.store.transitionsFor(issue).map((t) => transitionJson(req.base, t)) } };
}

function doTransition(ctx: HandlerContext, req: DoubleRequest, ref: string): Reply {
  const body = asObject(req.body);
  if (!body) return bad(['The request body must be a JSON object.']);
  const unknown = unknownKey(body, ['transition']);
  if (unknown) return bad([`Unrecognized field "${unknown}" (the Jira double accepts only transition).`]);
  const issue = ctx.store.issue(ref);
  if (!issue) return ISSUE_NOT_FOUND;
  const transition = asObject(body.transition);
  if (!transition || transition.id === undefined) return bad(["Missing 'transition' identifier"]);
  const inner = unknownKey(transition, ['id']);
  if (inner) return bad([`Unrecognized field "${inner}" in transition.`]);
  const id = String(transition.id);
  if (!/^\d+$/.test(id)) return bad(["'transition' identifier must be an integer"]);
  const chosen = ctx.store.transitionsFor(issue).find((t) => t.id === id);
  if (!chosen) return bad([`Transition id '${id}' is not valid for this issue.`]);
  ctx.store.applyTransition(issue, chosen);
  return { status: 204 };
}

function createIssue(ctx: HandlerContext, req: DoubleRequest): Reply {
  const body = asObject(req.body);
  if (!body) return bad(['The request body must be a JSON object.']);
  const unknown = unknownKey(body, ['fields', 'properties', 'update']);
  if (unknown) return bad([`Unrecognized field "${unknown}" (the Jira double accepts fields, properties and an empty update).`]);
  const update = asObject(body.update);
  if (body.update !== undefined && (!update || Object.keys(update).length > 0)) return bad(['The Jira double does not support "update" operations; set fields instead.']);
  const properties = parseProperties(body.properties);
  if (typeof properties === 'string') return bad([properties]);

  const fields = asObject(body.fields) ?? {};
  const errors: Record<string, string> = {};
  for (const key of Object.keys(fields)) {
    if (!['project', 'summary', 'issuetype', 'description', 'labels'].includes(key)) errors[key] = `Field '${key}' cannot be set. It is not on the appropriate screen, or unknown.`;
  }
  const projectRef = asObject(fields.project);
  const project = [...ctx.store.projects.values()].find((p) => (projectRef?.key !== undefined ? p.key === projectRef.key : p.id === String(projectRef?.id)));
  if (!project) errors.project = 'Specify a valid project ID or key';

  const typeRef = asObject(fields.issuetype);
  const typeName = typeof typeRef?.name === 'string' ? typeRef.name : undefined;
  const issueType = project?.issueTypes.find((t, i) => (typeName !== undefined ? t.toLowerCase() === typeName.toLowerCase() : String(10_001 + i) === String(typeRef?.id)));
  if (!typeRef) errors.issuetype = 'Specify an issue type';
  else if (project && !issueType) errors.issuetype = 'The issue type selected is invalid.';

  const summary = fields.summary;
  if (typeof summary !== 'string' || summary.trim() === '') errors.summary = 'You must specify a summary of the issue.';
  else if (summary.length > 255) errors.summary = 'Summary must be less than 255 characters.';
  else if (/[\r\n]/.test(summary)) errors.summary = 'The summary is invalid because it contains newline characters.';

  const labels = fields.labels ?? [];
  if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' || l === '' || l.length > 255 || /\s/.test(l))) {
    errors.labels = 'Labels must be a list of words of at most 255 characters, without spaces.';
  }

  let note: string | undefined;
  if (fields.description !== undefined && fields.description !== null) {
    const adf = validateAdf(fields.description);
    if (!adf.ok) {
      errors.description = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
      note = `ADF refused: ${adf.errors.slice(0, 3).join('; ')}`;
    }
  }
  if (Object.keys(errors).length > 0 || !project || !issueType || typeof summary !== 'string') return bad([], errors, note);

  const issue = ctx.store.createIssue(project, { summary, issueType, description: fields.description ?? null, labels: labels as string[] }, properties);
  return { status: 201, body: { id: issue.id, key: issue.key, self: `${req.base}/rest/api/3/issue/${issue.id}` } };
}

/**
 * POST /rest/api/3/search/jql, Jira Cloud's enhanced search, for the one query the execute stage
 * makes: `project = "KEY" AND labels = "label"` (optionally `ORDER BY created ASC`). Any other
 * JQL is refused with 400, saying what the double understands, rather than answered wrongly.
 */
const MARKER_JQL = /^project\s*=\s*"((?:[^"\\]|\\.)+)"\s+AND\s+labels\s*=\s*"((?:[^"\\]|\\.)+)"(?:\s+ORDER\s+BY\s+created\s+ASC)?$/i;

function searchJql(ctx: HandlerContext, req: DoubleRequest): Reply {
  const body = asObject(req.body);
  if (!body || typeof body.jql !== 'string') return bad(['The request body must be a JSON object with a "jql" string.']);
  const unknown = unknownKey(body, ['jql', 'fields', 'maxResults', 'nextPageToken']);
  if (unknown) return bad([`Unrecognized field "${unknown}" (the Jira double accepts jql, fields, maxResults and nextPageToken).`]);
  const m = MARKER_JQL.exec(body.jql.trim());
  if (!m) return bad([`The Jira double understands only JQL of the form project = "KEY" AND labels = "label"; got: ${body.jql.slice(0, 200)}`]);
  const unquote = (v: string) => v.replace(/\\(.)/g, '$1');
  const max = typeof body.maxResults === 'number' && body.maxResults > 0 ? Math.min(body.maxResults, 5_000) : 50;
  const found = ctx.store.issuesWithLabel(unquote(m[1]!).toUpperCase(), unquote(m[2]!)).slice(0, max);
  return { status: 200, body: { issues: found.map((i) => ({ expand: '', id: i.id, key: i.key, self: `${req.base}/rest/api/3/issue/${i.id}`, fields: {} })), isLast: true } };
}

function projectOf(ctx: HandlerContext, issue: StoredIssue) {
  const project = ctx.store.projects.get(issue.projectKey);
  if (!project) throw new Error(`Jira double: issue ${issue.key} has no project`); // the store guarantees it
  return project;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function unknownKey(obj: Record<string, unknown>, allowed: string[]): string | undefined {
  return Object.keys(obj).find((k) => !allowed.includes(k));
}

function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return fallback;
  return /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** Entity properties as Jira takes them on create: `[{key, value}]`; a message when they are not. */
function parseProperties(value: unknown): EntityProperty[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return 'properties must be a list of {key, value} objects.';
  const out: EntityProperty[] = [];
  for (const [i, item] of value.entries()) {
    const p = asObject(item);
    if (!p || unknownKey(p, ['key', 'value']) !== undefined) return `properties[${i}] must be an object with only key and value.`;
    if (typeof p.key !== 'string' || p.key.length === 0 || p.key.length > 255) return `properties[${i}].key must be 1 to 255 characters.`;
    if (p.value === undefined) return `properties[${i}].value is missing.`;
    if (Buffer.byteLength(JSON.stringify(p.value)) > MAX_PROPERTY_BYTES) return `properties[${i}].value is larger than 32 KB.`;
    out.push({ key: p.key, value: p.value });
  }
  return out;
}
