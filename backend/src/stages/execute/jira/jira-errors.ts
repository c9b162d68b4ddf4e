/**
 * Errors from the Jira adapter, in words a person can act on. They carry what Jira said
 * (`errorMessages`, `errors`) but never the credentials: no token, no Authorization header.
 */
export type JiraErrorKind =
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'bad_request' // 400 and other 4xx
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'server' // 5xx
  | 'unexpected_response' // 2xx whose body is not what the API documents
  | 'network' // no answer: refused, reset, DNS…
  | 'timeout' // no answer in time
  | 'no_such_transition'; // the issue's workflow has no way to the requested status

export interface JiraErrorDetails {
  kind: JiraErrorKind;
  /** The HTTP status Jira answered with; 0 when there was no answer or the client refused before sending. */
  status: number;
  errorMessages?: string[];
  errors?: Record<string, string>;
  retryAfterSeconds?: number;
}

export class JiraError extends Error {
  override readonly name: string = 'JiraError';
  readonly kind: JiraErrorKind;
  readonly status: number;
  readonly errorMessages: string[];
  readonly errors: Record<string, string>;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: JiraErrorDetails) {
    super(message);
    this.kind = details.kind;
    this.status = details.status;
    this.errorMessages = details.errorMessages ?? [];
    this.errors = details.errors ?? {};
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /**
   * Whether the same call may succeed later. A timeout or dropped connection on a POST is
   * ambiguous (Jira may have done it): callers look for the marker before posting again.
   */
  get retryable(): boolean {
    return ['rate_limited', 'server', 'network', 'timeout'].includes(this.kind);
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, kind: this.kind, status: this.status, message: this.message, errorMessages: this.errorMessages, errors: this.errors };
  }
}

export interface AvailableTransition {
  id: string;
  name: string;
  toStatus: string;
}

/** No transition of the issue leads to the requested status; `available` lists those that exist. */
export class JiraTransitionError extends JiraError {
  override readonly name: string = 'JiraTransitionError';

  constructor(
    readonly issueKey: string,
    readonly requested: string,
    readonly currentStatus: string | undefined,
    readonly available: AvailableTransition[],
  ) {
    const options = available.length === 0 ? 'none' : available.map((t) => (t.name === t.toStatus ? `"${t.toStatus}"` : `"${t.toStatus}" (via "${t.name}")`)).join(', ');
    const from = currentStatus ? ` from "${currentStatus}"` : '';
    super(`${issueKey} cannot move to "${requested}"${from}: its workflow allows ${options}.`, { kind: 'no_such_transition', status: 0 });
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issueKey: this.issueKey, requested: this.requested, currentStatus: this.currentStatus, available: this.available };
  }
}

/** What was asked, so an error can say it in words. */
export interface RequestContext {
  /** e.g. "add a comment to ABC-1" */
  action: string;
  issueKey?: string;
}

/** Jira's messages as one sentence: errorMessages first, then `field: message` pairs. */
export function jiraSays(errorMessages: string[], errors: Record<string, string>): string {
  return [...errorMessages, ...Object.entries(errors).map(([field, msg]) => `${field}: ${msg}`)].join('; ');
}

export function errorForStatus(status: number, ctx: RequestContext, body: { errorMessages: string[]; errors: Record<string, string>; retryAfterSeconds?: number }): JiraError {
  const said = jiraSays(body.errorMessages, body.errors);
  const details = { status, errorMessages: body.errorMessages, errors: body.errors };
  const suffix = said ? ` Jira said: ${said}` : '';
  switch (true) {
    case status === 401:
      return new JiraError(`Jira refused the credentials while trying to ${ctx.action}: check the Jira email and API token (tokens can be revoked and expire).${suffix}`, { ...details, kind: 'unauthorized' });
    case status === 403:
      return new JiraError(`Jira accepted the credentials but the user may not ${ctx.action}: check the project permissions of the Jira user.${suffix}`, { ...details, kind: 'forbidden' });
    case status === 404:
      return new JiraError(
        ctx.issueKey
          ? `Jira issue ${ctx.issueKey} does not exist or the app cannot see it (check the key and that the Jira user can browse the project).`
          : `Jira found nothing to ${ctx.action} (404).${suffix}`,
        { ...details, kind: 'not_found' },
      );
    case status === 413:
      return new JiraError(`Jira refused to ${ctx.action}: the request is too large.${suffix}`, { ...details, kind: 'too_large' });
    case status === 429: {
      const wait = body.retryAfterSeconds === undefined ? '' : ` Retry after ${body.retryAfterSeconds} s.`;
      return new JiraError(`Jira is limiting the rate of requests; could not ${ctx.action}.${wait}`, { ...details, kind: 'rate_limited', retryAfterSeconds: body.retryAfterSeconds });
    }
    case status >= 500:
      return new JiraError(`Jira had a problem (HTTP ${status}) while trying to ${ctx.action}; try again later.${suffix}`, { ...details, kind: 'server' });
    default:
      return new JiraError(`Jira refused to ${ctx.action} (HTTP ${status}).${suffix || ' It gave no reason.'}`, { ...details, kind: 'bad_request' });
  }
}
