import type { z } from 'zod';
import { adfToText, textToAdf } from './adf';
import { errorForStatus, JiraError, JiraTransitionError, type RequestContext } from './jira-errors';
import { CommentPage, CommentResponse, CreatedIssueResponse, ErrorBody, IssueResponse, SearchJqlResponse, TransitionsResponse } from './jira-schemas';

/**
 * A small Jira Cloud REST v3 client for the execute stage: read an issue, comment, transition,
 * create. Basic auth with an Atlassian account email and API token, as Jira Cloud expects for
 * API tokens. No automatic retries: posting is not idempotent, so callers retry only after
 * looking for their marker (`findCommentByMarker`).
 *
 * Created issues carry the marker twice: as the `pm-agent` entity property, and as the label
 * `pm-agent-<suggestion id>` (markerLabel). The label is what makes a retry safe: labels are
 * searchable with JQL out of the box (`labels = "…"` through POST /rest/api/3/search/jql), while
 * an entity property is searchable only once an app descriptor declares it indexed
 * (`issue.property[pm-agent]…`), which a REST API token cannot do. The label is visible in Jira,
 * which is honest about where the ticket came from. Caveat: Jira Cloud's search index is
 * eventually consistent (seconds); a retry comes after a crash, a timeout or the dispatcher's
 * next poll, so the window is small but not zero.
 */
export interface JiraClientOptions {
  baseUrl: string;
  email: string;
  apiToken: string;
  fetch?: typeof fetch;
  /** Per request, including reading the body. Default 15 s. */
  timeoutMs?: number;
}

/** The entity property that ties a comment or issue to the suggestion that produced it. */
export const MARKER_PROPERTY = 'pm-agent';

/** The label a created issue carries, found again with JQL before any retry creates another. */
export const markerLabel = (marker: string) => `pm-agent-${marker}`;

export interface JiraIssue {
  id: string;
  key: string;
  self: string;
  summary: string;
  status: { id: string; name: string };
  issueType: string | undefined;
  projectKey: string | undefined;
}

export interface JiraComment {
  id: string;
  self: string;
  created: string;
  updated: string | undefined;
  author: { accountId: string | undefined; displayName: string } | null;
  /** The body as Jira sent it (ADF). */
  body: unknown;
  /** The body as plain text, for display. */
  text: string;
  /** Present only when listed with properties expanded. */
  properties: { key: string; value: unknown }[];
  /** The suggestion id from the `pm-agent` property, if any. */
  marker: string | undefined;
}

export interface JiraTransition {
  id: string;
  name: string;
  to: { id: string; name: string };
}

export interface PostedComment {
  id: string;
  self: string;
  created: string;
}

export interface CreatedIssue {
  id: string;
  key: string;
  self: string;
}

export interface TransitionResult {
  /** The issue's status afterwards. */
  status: string;
  /** False when the issue already had that status (a retried status change is harmless). */
  changed: boolean;
  transitionId: string | undefined;
}

type Query = Record<string, string | number>;
const COMMENT_PAGE_SIZE = 100;
const DEFAULT_TIMEOUT_MS = 15_000;

export class JiraClient {
  readonly baseUrl: string;
  // Private fields: invisible to JSON.stringify, util.inspect output of errors, and subclasses.
  readonly #authorization: string;
  readonly #secrets: string[];
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: JiraClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new Error('The Jira base URL is not a valid URL (expected e.g. https://your-site.atlassian.net).');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The Jira base URL must start with https://.');
    if (url.username || url.password) throw new Error('Give the Jira credentials as email and API token, not inside the base URL.');
    if (!options.email || !options.apiToken) throw new Error('The Jira email and API token are both required.');
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
    const basic = Buffer.from(`${options.email}:${options.apiToken}`, 'utf8').toString('base64');
    this.#authorization = `Basic ${basic}`;
    this.#secrets = [options.apiToken, basic];
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async getIssue(key: string): Promise<JiraIssue> {
    const ctx = { action: `read issue ${key}`, issueKey: key };
    const issue = await this.#json('GET', issuePath(key), ctx, IssueResponse, { query: { fields: 'summary,status,issuetype,project' } });
    return {
      id: issue.id,
      key: issue.key,
      self: issue.self,
      summary: issue.fields.summary,
      status: { id: issue.fields.status.id, name: issue.fields.status.name },
      issueType: issue.fields.issuetype?.name,
      projectKey: issue.fields.project?.key,
    };
  }

  /** Every comment on the issue, oldest first. */
  async listComments(key: string, options: { expandProperties?: boolean } = {}): Promise<JiraComment[]> {
    const all: JiraComment[] = [];
    for await (const page of this.#commentPages(key, { expandProperties: options.expandProperties ?? false, newestFirst: false })) all.push(...page);
    return all;
  }

  /** Posts plain text as an ADF comment carrying the marker as a comment property. */
  addComment(key: string, comment: { text: string; marker: string }): Promise<PostedComment> {
    return this.addCommentAdf(key, { body: textToAdf(comment.text), marker: comment.marker });
  }

  /** Posts an ADF body as given; Jira (or the double) judges whether it is valid ADF. */
  async addCommentAdf(key: string, comment: { body: unknown; marker: string }): Promise<PostedComment> {
    const ctx = { action: `add a comment to ${key}`, issueKey: key };
    const request = { body: comment.body, properties: [markerProperty(comment.marker)] };
    const posted = await this.#json('POST', `${issuePath(key)}/comment`, ctx, CommentResponse, { body: request });
    return { id: posted.id, self: posted.self, created: posted.created };
  }

  /**
   * The comment whose `pm-agent` property carries this suggestion id, or null. Newest first,
   * since a retry follows its attempt closely; a comment added while paging only shifts
   * older ones to a later page, so none is skipped.
   */
  async findCommentByMarker(key: string, marker: string): Promise<JiraComment | null> {
    for await (const page of this.#commentPages(key, { expandProperties: true, newestFirst: true })) {
      const hit = page.find((c) => c.marker === marker);
      if (hit) return hit;
    }
    return null;
  }

  /**
   * Deletes a comment (DELETE …/comment/{id}: 204). 'gone' when Jira answers 404 for it: already
   * deleted (by an earlier attempt or by hand), which for an undo is the same as done.
   */
  async deleteComment(key: string, id: string): Promise<'deleted' | 'gone'> {
    const ctx = { action: `delete comment ${id} on ${key}`, issueKey: key };
    try {
      await this.#send('DELETE', `${issuePath(key)}/comment/${encodeURIComponent(id)}`, ctx, {});
      return 'deleted';
    } catch (e) {
      if (e instanceof JiraError && e.status === 404) return 'gone';
      throw e;
    }
  }

  async listTransitions(key: string): Promise<JiraTransition[]> {
    const ctx = { action: `list the transitions of ${key}`, issueKey: key };
    const res = await this.#json('GET', `${issuePath(key)}/transitions`, ctx, TransitionsResponse);
    return res.transitions.map((t) => ({ id: t.id, name: t.name, to: { id: t.to.id, name: t.to.name } }));
  }

  /**
   * Moves the issue to the status named `statusName` (or along the transition of that name),
   * case-insensitively. If no transition fits but the issue already has that status, nothing
   * is done: a retried status change is harmless. Otherwise a JiraTransitionError lists the
   * statuses the workflow does allow.
   */
  async transitionTo(key: string, statusName: string): Promise<TransitionResult> {
    const want = normalise(statusName);
    const transitions = await this.listTransitions(key);
    const chosen = transitions.find((t) => normalise(t.to.name) === want) ?? transitions.find((t) => normalise(t.name) === want);
    if (chosen) {
      const ctx = { action: `move ${key} to "${chosen.to.name}"`, issueKey: key };
      await this.#send('POST', `${issuePath(key)}/transitions`, ctx, { body: { transition: { id: chosen.id } } });
      return { status: chosen.to.name, changed: true, transitionId: chosen.id };
    }
    const issue = await this.getIssue(key);
    if (normalise(issue.status.name) === want) return { status: issue.status.name, changed: false, transitionId: undefined };
    throw new JiraTransitionError(
      key,
      statusName,
      issue.status.name,
      transitions.map((t) => ({ id: t.id, name: t.name, toStatus: t.to.name })),
    );
  }

  /** Creates an issue; the description is sent as ADF (omitted when blank) and the marker as an issue property. */
  async createIssue(fields: { projectKey: string; issueType: string; summary: string; description: string; marker: string }): Promise<CreatedIssue> {
    const ctx = { action: `create a ${fields.issueType} in project ${fields.projectKey}` };
    const request = {
      fields: {
        project: { key: fields.projectKey },
        issuetype: { name: fields.issueType },
        summary: fields.summary,
        labels: [markerLabel(fields.marker)],
        ...(fields.description.trim() === '' ? {} : { description: textToAdf(fields.description) }),
      },
      properties: [markerProperty(fields.marker)],
    };
    const created = await this.#json('POST', '/rest/api/3/issue', ctx, CreatedIssueResponse, { body: request });
    return { id: created.id, key: created.key, self: created.self };
  }

  /** The issue in this project whose marker label names this suggestion, or null (JQL through the enhanced search). */
  async findIssueByMarker(projectKey: string, marker: string): Promise<{ key: string } | null> {
    const ctx = { action: `look for an issue already created for ${marker} in project ${projectKey}` };
    const jql = `project = "${jqlString(projectKey)}" AND labels = "${jqlString(markerLabel(marker))}" ORDER BY created ASC`;
    const page = await this.#json('POST', '/rest/api/3/search/jql', ctx, SearchJqlResponse, { body: { jql, fields: ['key'], maxResults: 1 } });
    const first = page.issues[0];
    return first ? { key: first.key } : null;
  }

  async *#commentPages(key: string, opts: { expandProperties: boolean; newestFirst: boolean }): AsyncGenerator<JiraComment[]> {
    const ctx = { action: `read the comments of ${key}`, issueKey: key };
    let startAt = 0;
    for (;;) {
      const query: Query = { startAt, maxResults: COMMENT_PAGE_SIZE, orderBy: opts.newestFirst ? '-created' : 'created' };
      if (opts.expandProperties) query.expand = 'properties';
      const page = await this.#json('GET', `${issuePath(key)}/comment`, ctx, CommentPage, { query });
      yield page.comments.map(toComment);
      startAt += page.comments.length;
      if (page.comments.length === 0 || startAt >= page.total) return;
    }
  }

  async #json<S extends z.ZodType>(method: 'GET' | 'POST', path: string, ctx: RequestContext, schema: S, init: { query?: Query; body?: unknown } = {}): Promise<z.infer<S>> {
    const { status, text } = await this.#send(method, path, ctx, init);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new JiraError(`Jira's answer to "${ctx.action}" was not JSON; is the base URL a Jira Cloud site?`, { kind: 'unexpected_response', status });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const where = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ');
      throw new JiraError(`Jira's answer to "${ctx.action}" is not shaped as the REST v3 API documents: ${where}.`, { kind: 'unexpected_response', status });
    }
    return parsed.data;
  }

  /** One request; resolves with the status and body text of a 2xx answer, throws a JiraError otherwise. */
  async #send(method: 'GET' | 'POST' | 'DELETE', path: string, ctx: RequestContext, init: { query?: Query; body?: unknown }): Promise<{ status: number; text: string }> {
    const url = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Authorization: this.#authorization, Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';

    let res: Response;
    let text: string;
    try {
      res = await this.#fetch(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: 'error', // a redirect would be a login page or a moved site, never an API answer
      });
      text = await res.text();
    } catch (e) {
      throw this.#transportError(e, ctx);
    }
    if (res.ok) return { status: res.status, text };
    const retryAfter = Number(res.headers.get('retry-after'));
    throw errorForStatus(res.status, ctx, {
      ...this.#errorBody(text, res.headers.get('content-type')),
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }

  #transportError(e: unknown, ctx: RequestContext): JiraError {
    const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      return new JiraError(`Jira did not answer within ${this.#timeoutMs} ms while trying to ${ctx.action}; it may or may not have done it.`, { kind: 'timeout', status: 0 });
    }
    const reason = this.#redact(err.cause?.code ?? err.cause?.message ?? err.message ?? 'unknown error');
    return new JiraError(`Could not reach Jira at ${this.baseUrl} to ${ctx.action} (${reason}).`, { kind: 'network', status: 0 });
  }

  /** Jira's `{errorMessages, errors}`; a short plain-text body (Cloud's 401) becomes one message; HTML is dropped. */
  #errorBody(text: string, contentType: string | null): { errorMessages: string[]; errors: Record<string, string> } {
    try {
      const parsed = ErrorBody.safeParse(JSON.parse(text));
      if (parsed.success) {
        const errors = Object.fromEntries(Object.entries(parsed.data.errors ?? {}).map(([k, v]) => [k, this.#redact(v)]));
        return { errorMessages: (parsed.data.errorMessages ?? []).map((m) => this.#redact(m)), errors };
      }
    } catch {
      // not JSON: fall through
    }
    const plain = text.trim();
    const isText = contentType === null || /^text\/plain/i.test(contentType);
    return { errorMessages: isText && plain !== '' && plain.length <= 300 ? [this.#redact(plain)] : [], errors: {} };
  }

  /** Belt and braces: whatever a server echoes back, the credentials never reach a message. */
  #redact(s: string): string {
    return this.#secrets.reduce((acc, secret) => acc.split(secret).join('[redacted]'), s);
  }
}

function issuePath(key: string): string {
  return `/rest/api/3/issue/${encodeURIComponent(key)}`;
}

function markerProperty(marker: string) {
  return { key: MARKER_PROPERTY, value: { suggestionId: marker } };
}

function normalise(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

function toComment(c: z.infer<typeof CommentResponse>): JiraComment {
  const properties = (c.properties ?? []).map((p) => ({ key: p.key, value: p.value }));
  const value = properties.find((p) => p.key === MARKER_PROPERTY)?.value;
  const marker = typeof value === 'object' && value !== null ? (value as { suggestionId?: unknown }).suggestionId : undefined;
  return {
    id: c.id,
    self: c.self,
    created: c.created,
    updated: c.updated,
    author: c.author ? { accountId: c.author.accountId, displayName: c.author.displayName } : null,
    body: c.body,
    text: adfToText(c.body),
    properties,
    marker: typeof marker === 'string' ? marker : undefined,
  };
}

/** A value inside a double-quoted JQL string: backslash and quote escaped. */
function jqlString(v: string): string {
  return v.replace(/["\\]/g, (c) => `\\${c}`);
}
