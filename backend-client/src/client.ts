import {
  canonicalJson,
  AuditPageSchema,
  BulkDecisionResponseSchema,
  InboxPageSchema,
  type BulkDecisionRequest,
  type BulkDecisionResponse,
  type InboxPage,
  type InboxQuery,
  HealthSchema,
  IDEMPOTENCY_HEADER,
  IdempotencyKeySchema,
  IDENTITY_HEADERS,
  MessageKeySchema,
  SettingsViewSchema,
  ViewerSchema,
  TriageEnvelopeSchema,
  NotSuspiciousResponseSchema,
  RetriageResponseSchema,
  type RetriageResponse,
  type NotSuspiciousRequest,
  type NotSuspiciousResponse,
  type EmailInput,
  type TriageEnvelope,
  SuggestionEnvelopeSchema,
  SuggestionId,
  SuggestionListSchema,
  type ApproveRequest,
  type EditHeldRequest,
  type RetryRequest,
  type RunNowRequest,
  type AuditPage,
  type CreateSuggestionRequest,
  type Health,
  type ListSuggestionsQuery,
  type RejectRequest,
  type Settings,
  type SettingsView,
  type Suggestion,
  type SuggestionList,
  type Viewer,
} from '@pm-agent/shared';
import type { CredentialProvider, Credentials } from './credentials/types';
import { AbortedError, BackendError, ConflictError, CredentialsError, InvalidRequestError } from './errors';
import { defaultFetch, errorMessage, exchange, type FetchFn } from './http';
import { readResponse, type ResponseSchema } from './responses';
import { DEFAULT_BACKOFF, isRetryable, retryDelayMs, sleep, type BackoffOptions, type RetryRule } from './retry';
import { signRequest } from './signing';

/** The person behind a Forge call. Sent as signed headers, so the backend can trust them. */
export interface Identity {
  /** Verified Jira accountId. */
  accountId: string;
  /** Jira site (cloud id or host). */
  site: string;
  /** Only for admin-page calls made by a Jira admin. */
  role?: 'admin' | undefined;
}

export interface BackendClientOptions {
  /** Base URL, e.g. http://127.0.0.1:8787 or https://abc.execute-api.eu-west-1.amazonaws.com/prod */
  endpoint: string;
  region: string;
  /** SigV4 service name; default execute-api (API Gateway). */
  service?: string;
  credentials: CredentialProvider;
  identity?: Identity | undefined;
  /** Per attempt, from sending to the last body byte; default 10 000. */
  timeoutMs?: number;
  /** Retries after the first attempt, for calls that may be retried (see retry.ts); default 2. */
  maxRetries?: number;
  /** Default globalThis.fetch. */
  fetch?: FetchFn;
  /** Sent (and signed) as x-amz-user-agent: browsers may drop or rewrite User-Agent, which would break the signature. */
  userAgent?: string;
  /** Backoff between retries; default 500 ms doubling, capped at 8 s, full jitter. */
  backoff?: Partial<BackoffOptions>;
  /** Told about each retry before its wait: for logs and metrics. */
  onRetry?: (event: RetryEvent) => void;
}

export interface RequestOptions {
  /** Cancels the call: the attempt in flight and any retry wait. Ends in AbortedError. */
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface DecisionOptions extends RequestOptions {
  /**
   * Sent as Idempotency-Key on every attempt of this call. Default: a fresh random UUID per call.
   * 8 to 128 letters, digits or ._:- (the server's format, IdempotencyKeySchema in shared/).
   * Pass your own to make a repeat of the same decision (say, after a page reload) idempotent too.
   */
  idempotencyKey?: string;
}

export interface AuditQuery {
  /** The `next` of the previous page. */
  after?: number;
  limit?: number;
}

export interface RetryEvent {
  operation: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  error: BackendError;
}

interface Call<T> {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: ResponseSchema<T>;
  retry: RetryRule;
  idempotencyKey?: string;
  /** Extra headers, signed with the rest (lower-case names). */
  headers?: Record<string, string>;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/**
 * The backend API, one method per route. Every request is SigV4-signed, every answer validated,
 * every failure a BackendError subclass. Retry rules:
 * - GET routes and updateSettings (PUT) are retried on network errors, timeouts, 429 and 5xx.
 * - approveSuggestion and rejectSuggestion carry one Idempotency-Key across all attempts and are
 *   retried on network errors, timeouts and 5xx (not 429); the backend applies a key once.
 * - createSuggestion and stopSuggestion are never retried: the first attempt may have worked.
 * Each attempt is signed afresh (new x-amz-date, current credentials) and has its own timeout.
 */
/** What `afterTheFact` asks for; the action is the route's last segment. */
export type AfterTheFactRequest =
  | { action: 'undo' }
  | ({ action: 'run-now' } & RunNowRequest)
  | ({ action: 'edit' } & EditHeldRequest)
  | ({ action: 'retry' } & RetryRequest);

export class BackendClient {
  private readonly options: BackendClientOptions;
  private readonly origin: string;
  private readonly basePath: string;
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoff: BackoffOptions;
  private readonly fetchFn: FetchFn;

  constructor(options: BackendClientOptions) {
    const endpoint = new URL(options.endpoint);
    if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:') throw new TypeError('BackendClient: endpoint must be an http(s) URL');
    if (endpoint.search || endpoint.hash) throw new TypeError('BackendClient: endpoint must not have a query or fragment');
    if (!options.region) throw new TypeError('BackendClient: region is required');
    if (options.identity) checkIdentity(options.identity);
    this.options = options;
    this.origin = endpoint.origin;
    this.basePath = endpoint.pathname.replace(/\/+$/, '');
    this.service = options.service ?? 'execute-api';
    this.timeoutMs = positive('timeoutMs', options.timeoutMs ?? 10_000);
    this.maxRetries = retries(options.maxRetries ?? 2);
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.fetchFn = options.fetch ?? defaultFetch;
  }

  /** The same client acting for another person; cheap, for a resolver that serves many users. */
  withIdentity(identity: Identity | undefined): BackendClient {
    return new BackendClient({ ...this.options, identity });
  }

  /** GET /v1/health. Retried. */
  health(options?: RequestOptions): Promise<Health> {
    return this.call({ method: 'GET', path: '/v1/health', schema: HealthSchema, retry: 'idempotent' }, options);
  }

  /** POST /v1/suggestions (agent principal). Never retried: a lost answer may hide a created suggestion. */
  async createSuggestion(request: CreateSuggestionRequest, options?: RequestOptions): Promise<Suggestion> {
    const res = await this.call({ method: 'POST', path: '/v1/suggestions', body: request, schema: SuggestionEnvelopeSchema, retry: 'never' }, options);
    return res.suggestion;
  }

  /** GET /v1/suggestions?issueKey=&state=. Retried. */
  listSuggestions(query: ListSuggestionsQuery = {}, options?: RequestOptions): Promise<SuggestionList> {
    const q = { issueKey: query.issueKey, state: query.state };
    return this.call({ method: 'GET', path: '/v1/suggestions', query: q, schema: SuggestionListSchema, retry: 'idempotent' }, options);
  }

  /** GET /v1/inbox: every suggestion this caller may see, filtered, searched, counted and paged. Retried. */
  getInbox(query: InboxQuery = {}, options?: RequestOptions): Promise<InboxPage> {
    return this.call({ method: 'GET', path: '/v1/inbox', query: { ...query }, schema: InboxPageSchema, retry: 'idempotent' }, options);
  }

  /**
   * POST /v1/decisions: approve or reject up to 50 suggestions, each bound to the hash the approver
   * saw; answers per item. Retried like approve, with one Idempotency-Key for every attempt.
   */
  decideMany(request: BulkDecisionRequest, options?: DecisionOptions): Promise<BulkDecisionResponse> {
    const idempotencyKey = decisionKey(options);
    return this.call({ method: 'POST', path: '/v1/decisions', body: request, schema: BulkDecisionResponseSchema, retry: 'idempotency-key', idempotencyKey }, options);
  }

  /** GET /v1/suggestions/{id}. Retried. */
  async getSuggestion(id: string, options?: RequestOptions): Promise<Suggestion> {
    const res = await this.call({ method: 'GET', path: suggestionPath(id), schema: SuggestionEnvelopeSchema, retry: 'idempotent' }, options);
    return res.suggestion;
  }

  /**
   * POST /v1/suggestions/{id}/approve. Retried with the same Idempotency-Key on network errors,
   * timeouts and 5xx. ConflictError (409) carries the current suggestion when the hash is stale.
   */
  async approveSuggestion(id: string, request: ApproveRequest, options?: DecisionOptions): Promise<Suggestion> {
    const path = `${suggestionPath(id)}/approve`;
    const idempotencyKey = decisionKey(options);
    const res = await this.call({ method: 'POST', path, body: request, schema: SuggestionEnvelopeSchema, retry: 'idempotency-key', idempotencyKey }, options);
    return res.suggestion;
  }

  /** POST /v1/suggestions/{id}/reject. Retried like approve, with the same Idempotency-Key. */
  async rejectSuggestion(id: string, request: RejectRequest, options?: DecisionOptions): Promise<Suggestion> {
    const path = `${suggestionPath(id)}/reject`;
    const idempotencyKey = decisionKey(options);
    const res = await this.call({ method: 'POST', path, body: request, schema: SuggestionEnvelopeSchema, retry: 'idempotency-key', idempotencyKey }, options);
    return res.suggestion;
  }

  /** POST /v1/suggestions/{id}/stop: stops a hold-queue item. Never retried. */
  async stopSuggestion(id: string, options?: RequestOptions): Promise<Suggestion> {
    const path = `${suggestionPath(id)}/stop`;
    const res = await this.call({ method: 'POST', path, body: {}, schema: SuggestionEnvelopeSchema, retry: 'never' }, options);
    return res.suggestion;
  }

  /** POST /v1/suggestions/{id}/dismiss, /respond or /reopen. Retried like approve, with one Idempotency-Key. */
  async closeOrReopen(id: string, action: 'dismiss' | 'reopen' | 'respond', guidance?: string, options?: DecisionOptions): Promise<Suggestion> {
    const path = `${suggestionPath(id)}/${action}`;
    const body = action === 'respond' ? { guidance } : {};
    const res = await this.call({ method: 'POST', path, body, schema: SuggestionEnvelopeSchema, retry: 'idempotency-key', idempotencyKey: decisionKey(options) }, options);
    return res.suggestion;
  }

  /**
   * After the fact: POST /v1/suggestions/{id}/undo (an executed comment, within the undo window),
   * /run-now or /edit (a held item), /retry (a failed status change, with a status Jira offered).
   * Retried like approve, with one Idempotency-Key.
   */
  async afterTheFact(id: string, request: AfterTheFactRequest, options?: DecisionOptions): Promise<Suggestion> {
    const { action, ...body } = request;
    const path = `${suggestionPath(id)}/${action}`;
    const res = await this.call({ method: 'POST', path, body, schema: SuggestionEnvelopeSchema, retry: 'idempotency-key', idempotencyKey: decisionKey(options) }, options);
    return res.suggestion;
  }

  /** GET /v1/settings. Retried. */
  /**
   * POST /v1/triage: triage the open email. Retried like a read: the backend keys triage by the
   * message id, so a repeat returns the stored result rather than triaging twice.
   */
  triage(email: EmailInput, options?: RequestOptions): Promise<TriageEnvelope> {
    return this.call({ method: 'POST', path: '/v1/triage', body: email, schema: TriageEnvelopeSchema, retry: 'idempotent' }, options);
  }

  /** GET /v1/triage/{messageKey}: a stored triage with its suggestions as they are now. */
  async getTriage(messageKey: string, options?: RequestOptions): Promise<TriageEnvelope> {
    if (!MessageKeySchema.safeParse(messageKey).success) throw new InvalidRequestError(`"${messageKey.slice(0, 40)}" is not a message key (msg_ followed by 32 hex characters).`);
    return this.call({ method: 'GET', path: `/v1/triage/${messageKey}`, schema: TriageEnvelopeSchema, retry: 'idempotent' }, options);
  }

  /**
   * POST /v1/triage/{messageKey}/retriage: a fresh triage of an email already triaged, for its
   * mailbox's owner; `email` is the same email again. The earlier result is kept and its waiting
   * suggestions are superseded. Retried like approve, with one Idempotency-Key for every attempt:
   * the backend triages once per key, so a retry costs no second model call.
   */
  retriage(messageKey: string, email: EmailInput, options?: DecisionOptions): Promise<RetriageResponse> {
    const path = `${triagePath(messageKey)}/retriage`;
    return this.call({ method: 'POST', path, body: email, schema: RetriageResponseSchema, retry: 'idempotency-key', idempotencyKey: decisionKey(options) }, options);
  }

  /**
   * POST /v1/triage/{messageKey}/not-suspicious: the mailbox owner's audited judgement. It changes
   * no floor: suggestions from the email still need approval. Retried like approve, with one
   * Idempotency-Key for every attempt: the backend records it once.
   */
  async markNotSuspicious(messageKey: string, request: NotSuspiciousRequest = {}, options?: DecisionOptions): Promise<NotSuspiciousResponse> {
    const path = `${triagePath(messageKey)}/not-suspicious`;
    return this.call({ method: 'POST', path, body: request, schema: NotSuspiciousResponseSchema, retry: 'idempotency-key', idempotencyKey: decisionKey(options) }, options);
  }

  /** GET /v1/viewer: who the backend thinks is calling, whether they may approve, and whether the agent is paused. */
  getViewer(options?: RequestOptions): Promise<Viewer> {
    return this.call({ method: 'GET', path: '/v1/viewer', schema: ViewerSchema, retry: 'idempotent' }, options);
  }

  getSettings(options?: RequestOptions): Promise<SettingsView> {
    return this.call({ method: 'GET', path: '/v1/settings', schema: SettingsViewSchema, retry: 'idempotent' }, options);
  }

  /**
   * PUT /v1/settings, conditional on `basedOnVersion` (the version the settings were read at, sent
   * as If-Match): if they changed since, ConflictError with `currentSettings`. Retried; when a retry
   * meets 409 because its own first attempt was applied (the settings now are exactly these, one
   * version on), that is success.
   */
  async updateSettings(settings: Settings, basedOnVersion: number, options?: RequestOptions): Promise<SettingsView> {
    if (!Number.isInteger(basedOnVersion) || basedOnVersion < 0) throw new InvalidRequestError('updateSettings needs the settings version the change is based on (a whole number ≥ 0).');
    const headers = { 'if-match': `"${basedOnVersion}"` };
    try {
      return await this.call({ method: 'PUT', path: '/v1/settings', body: settings, headers, schema: SettingsViewSchema, retry: 'idempotent' }, options);
    } catch (error) {
      const now = error instanceof ConflictError ? error.currentSettings : undefined;
      if (now && now.version === basedOnVersion + 1 && canonicalJson(now.settings) === canonicalJson(settings)) return now;
      throw error;
    }
  }

  /** GET /v1/audit?after=&limit=. Retried. */
  listAudit(query: AuditQuery = {}, options?: RequestOptions): Promise<AuditPage> {
    const q = { after: query.after, limit: query.limit };
    return this.call({ method: 'GET', path: '/v1/audit', query: q, schema: AuditPageSchema, retry: 'idempotent' }, options);
  }

  private async call<T>(call: Call<T>, options: RequestOptions = {}): Promise<T> {
    const operation = `${call.method} ${call.path}`;
    const maxRetries = call.retry === 'never' ? 0 : retries(options.maxRetries ?? this.maxRetries);
    const timeoutMs = positive('timeoutMs', options.timeoutMs ?? this.timeoutMs);
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    const url = new URL(this.basePath + call.path, this.origin);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }

    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(call, { operation, url, body, timeoutMs, signal: options.signal });
      } catch (error) {
        if (!(error instanceof BackendError) || attempt > maxRetries || !isRetryable(call.retry, error)) throw error;
        const delayMs = retryDelayMs(error, attempt - 1, this.backoff);
        if (delayMs === undefined) throw error; // the server asked for a longer pause than we hold a caller for
        this.options.onRetry?.({ operation, attempt, delayMs, error });
        try {
          await sleep(delayMs, options.signal);
        } catch {
          throw new AbortedError(operation);
        }
      }
    }
  }

  private async attempt<T>(
    call: Call<T>,
    a: { operation: string; url: URL; body: string | undefined; timeoutMs: number; signal: AbortSignal | undefined },
  ): Promise<T> {
    if (a.signal?.aborted) throw new AbortedError(a.operation);
    const credentials = await this.resolveCredentials(a.operation);
    // Exactly these headers (plus host, x-amz-date, x-amz-security-token) are sent and signed.
    const headers: Record<string, string> = {};
    if (a.body !== undefined) headers['content-type'] = 'application/json';
    const identity = this.options.identity;
    if (identity) {
      headers[IDENTITY_HEADERS.accountId] = identity.accountId;
      headers[IDENTITY_HEADERS.site] = identity.site;
      if (identity.role) headers[IDENTITY_HEADERS.role] = identity.role;
    }
    if (credentials.identityToken) headers[IDENTITY_HEADERS.identityToken] = credentials.identityToken;
    if (call.idempotencyKey) headers[IDEMPOTENCY_HEADER] = call.idempotencyKey;
    Object.assign(headers, call.headers);
    if (this.options.userAgent) headers['x-amz-user-agent'] = this.options.userAgent;

    const signed = await signRequest({
      method: call.method,
      url: a.url,
      headers,
      body: a.body,
      credentials,
      region: this.options.region,
      service: this.service,
    });
    const res = await exchange(
      this.fetchFn,
      a.url.toString(),
      { method: call.method, headers: signed, body: a.body },
      { operation: a.operation, target: `the backend at ${this.origin}`, timeoutMs: a.timeoutMs, signal: a.signal },
    );
    return readResponse(res, call.schema, {
      operation: a.operation,
      secrets: [credentials.secretAccessKey, credentials.sessionToken, credentials.identityToken, signed['authorization']],
    });
  }

  private async resolveCredentials(operation: string): Promise<Credentials> {
    let credentials: Credentials;
    try {
      credentials = await this.options.credentials();
    } catch (error) {
      if (error instanceof BackendError) throw error;
      const why = errorMessage(error) ?? 'unknown failure';
      throw new CredentialsError(`Could not get credentials to sign ${operation}: ${why}. Check the credential provider's configuration.`, { cause: error });
    }
    if (!credentials.accessKeyId || !credentials.secretAccessKey) {
      throw new CredentialsError(`The credential provider returned no access key id or secret key for ${operation}.`);
    }
    return credentials;
  }
}

export function createBackendClient(options: BackendClientOptions): BackendClient {
  return new BackendClient(options);
}

function suggestionPath(id: string): string {
  if (!SuggestionId.safeParse(id).success) {
    const shown = id.length > 60 ? `${id.slice(0, 60)}…` : id;
    throw new InvalidRequestError(`"${shown}" is not a suggestion id (expected sug_ followed by 20 to 40 letters or digits).`);
  }
  return `/v1/suggestions/${encodeURIComponent(id)}`;
}

function triagePath(messageKey: string): string {
  if (!MessageKeySchema.safeParse(messageKey).success) throw new InvalidRequestError(`"${messageKey.slice(0, 40)}" is not a message key (msg_ followed by 32 hex characters).`);
  return `/v1/triage/${messageKey}`;
}

function decisionKey(options: DecisionOptions | undefined): string {
  const key = options?.idempotencyKey ?? globalThis.crypto.randomUUID();
  if (!IdempotencyKeySchema.safeParse(key).success) {
    throw new InvalidRequestError('The idempotency key must be 8 to 128 letters, digits or ._:- (as the backend requires).');
  }
  return key;
}

function checkIdentity(identity: Identity): void {
  for (const [name, value] of [
    ['accountId', identity.accountId],
    ['site', identity.site],
  ] as const) {
    if (!value || CONTROL_CHARS.test(value)) throw new TypeError(`BackendClient: identity.${name} must be a non-empty single-line string`);
  }
  if (identity.role !== undefined && identity.role !== 'admin') throw new TypeError("BackendClient: identity.role may only be 'admin'");
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new TypeError(`BackendClient: ${name} must be a positive number of milliseconds`);
  return value;
}

function retries(value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError('BackendClient: maxRetries must be a whole number, 0 or more');
  return value;
}
