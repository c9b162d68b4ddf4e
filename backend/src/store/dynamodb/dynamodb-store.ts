import { DescribeTableCommand, DynamoDBClient, TransactionCanceledException, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DEFAULT_SETTINGS, SettingsSchema, upgradeSettingsDoc, type Actor, type AuditEntry, type ListSuggestionsQuery, type SettingsView, type Suggestion, type Triage } from '@pm-agent/shared';
import { chainDrafts } from '../audit-chain';
import { decodeCursor, encodeCursor } from '../cursor';
import {
  ChangeTooLarge,
  ConditionFailed,
  StoreUnavailable,
  assertChangeFits,
  type AuditHead,
  type ChangeSet,
  type Check,
  type Committed,
  type IdempotentRecord,
  type ModelUsage,
  type OutboxEntry,
  type Page,
  type PageRequest,
  type PauseInterval,
  type Store,
  type SuggestionQuery,
  type Write,
} from '../store';
import { IDEMPOTENCY_TTL_SECONDS, INDEX, TABLES } from './tables';

export interface DynamoStoreConfig {
  region: string;
  /** DynamoDB Local's URL; absent on AWS. */
  endpoint?: string;
  tables: { main: string; audit: string };
  /** Only for DynamoDB Local, which accepts any key; on AWS the SDK's default chain (the Lambda role). */
  credentials?: DynamoDBClientConfig['credentials'];
  /** How long one request may wait to connect, and then for an answer, in ms (default 5 s): an endpoint that never answers is an error, not a hang. */
  timeoutMs?: number;
}

type Item = Record<string, unknown>;

const KEY = {
  suggestion: (id: string) => `SUG#${id}`,
  settings: 'SETTINGS',
  head: 'AUDIT_HEAD',
  idempotency: (scope: string, key: string) => `IDEM#${scope}#${key}`,
  triage: (messageKey: string) => `TRIAGE#${messageKey}`,
  /** Revisions from 2 on (revision 1 is TRIAGE#<key>), and which revision is current. */
  triageRevision: (messageKey: string, revision: number) => (revision === 1 ? `TRIAGE#${messageKey}` : `TRIAGE#${messageKey}#REV#${revision}`),
  triageLatest: (messageKey: string) => `TRIAGE#${messageKey}#LATEST`,
  outbox: (id: string) => `OUTBOX#${id}`,
  usage: (day: string) => `USAGE#${day}`,
};
const CHAIN = 'main';
const DEFAULT_PAGE = 200;
/** DynamoDB's limits: 400 KB per item, 4 MB per transaction. Measured as JSON, which is close and never smaller by much. */
const MAX_ITEM_BYTES = 390 * 1024;
const MAX_TRANSACTION_BYTES = 4 * 1000 * 1000 - 64 * 1024;
/** Tries when only the audit head moved (another commit appended first); domain conditions still held. */
const HEAD_RETRIES = 40;
const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The store on DynamoDB. A change set is one TransactWriteItems: each write carries its
 * ConditionExpression, checks are ConditionChecks, and the audit entries go to the audit table
 * with a condition on the head item (in the main table) that every commit names. Reads that decide
 * are strongly consistent (GetItem with ConsistentRead); lists come from indexes and are paged.
 */
export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly client: DynamoDBClient;
  readonly describe: string;
  /** Commits that chained onto a head another commit had just moved (the bench reports them). */
  readonly stats = { headRetries: 0 };

  constructor(private readonly config: DynamoStoreConfig) {
    const timeout = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = new DynamoDBClient({
      region: config.region,
      endpoint: config.endpoint,
      credentials: config.credentials,
      maxAttempts: 3,
      // Without throwOnRequestTimeout the handler only warns and the request waits for ever.
      requestHandler: { connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true },
    });
    this.doc = DynamoDBDocumentClient.from(this.client, { marshallOptions: { removeUndefinedValues: true } });
    this.describe = `DynamoDB tables ${config.tables.main} and ${config.tables.audit} in ${config.region}${config.endpoint ? ` at ${config.endpoint}` : ''}`;
  }

  /**
   * Checks, once at start, that both tables exist and are usable, so a bad configuration is one
   * clear error rather than a failure on every request.
   */
  async assertReady(): Promise<void> {
    for (const def of TABLES) {
      const name = this.config.tables[def.role];
      try {
        const out = await this.client.send(new DescribeTableCommand({ TableName: name }));
        const key = out.Table?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
        if (key !== def.partitionKey.name) {
          throw new StoreUnavailable(`DynamoDB table ${name} is not a PM agent ${def.role} table (its key is ${key}, expected ${def.partitionKey.name}).`);
        }
      } catch (e) {
        if (e instanceof StoreUnavailable) throw e;
        throw new StoreUnavailable(explainAwsError(e as Error, name, this.config));
      }
    }
  }

  // ---- reads ------------------------------------------------------------------------------------

  private async get(pk: string): Promise<Item | null> {
    const out = await this.doc.send(new GetCommand({ TableName: this.config.tables.main, Key: { pk }, ConsistentRead: true }));
    return (out.Item as Item | undefined) ?? null;
  }

  async getSuggestion(id: string): Promise<Suggestion | null> {
    const item = await this.get(KEY.suggestion(id));
    return item ? (JSON.parse(item.doc as string) as Suggestion) : null;
  }

  async listSuggestions(q: SuggestionQuery & { limit?: number }): Promise<Suggestion[]> {
    return (await this.pageSuggestions(q)).items;
  }

  async pageSuggestions(q: SuggestionQuery & PageRequest): Promise<Page<Suggestion>> {
    const limit = q.limit ?? DEFAULT_PAGE;
    const index = q.issueKey ? INDEX.byIssue : q.state ? INDEX.byState : INDEX.byCreated;
    const [pkName, skName] = index === INDEX.byIssue ? ['gsi1pk', 'gsi1sk'] : index === INDEX.byState ? ['gsi2pk', 'gsi2sk'] : ['gsi3pk', 'gsi3sk'];
    const pkValue = q.issueKey ? `ISSUE#${q.issueKey}` : q.state ? `STATE#${q.state}` : 'SUG';
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (q.issueKey && q.state) (conditions.push('#state = :state'), (names['#state'] = 'state'), (values[':state'] = q.state));
    // Each mailbox sees its own: the owner mailbox is an item attribute so the query can filter on it.
    if (q.mailbox !== undefined) (conditions.push('#mailbox = :mailbox'), (names['#mailbox'] = 'mailbox'), (values[':mailbox'] = q.mailbox));
    const filter = conditions.length ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values } : {};
    const items = await this.queryPage(
      {
        IndexName: index,
        KeyConditionExpression: '#pk = :pk',
        ScanIndexForward: false,
        ...filter,
        ExpressionAttributeNames: { '#pk': pkName, ...filter.ExpressionAttributeNames },
        ExpressionAttributeValues: { ':pk': pkValue, ...filter.ExpressionAttributeValues },
      },
      limit,
      q.cursor,
      (item) => ({ pk: item.pk, [pkName]: item[pkName], [skName]: item[skName] }),
    );
    return { items: items.items.map((i) => JSON.parse(i.doc as string) as Suggestion), next: items.next };
  }

  /**
   * One page of a query, `limit` items after filtering. The cursor is the last returned item's
   * index key, so a page cut short by the limit resumes exactly after it.
   */
  private async queryPage(input: Omit<QueryCommandInput, 'TableName'>, limit: number, cursor: string | undefined, keyOf: (item: Item) => Item): Promise<Page<Item>> {
    const keyNames = Object.keys(keyOf({}));
    let start: Item | undefined = cursor ? Object.fromEntries(decodeCursor(cursor, keyNames.length).map((v, i) => [keyNames[i]!, v])) : undefined;
    const items: Item[] = [];
    for (;;) {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.config.tables.main, ExclusiveStartKey: start, Limit: Math.max(limit - items.length + 1, 10) }));
      for (const item of (out.Items ?? []) as Item[]) {
        if (items.length === limit) return { items, next: encodeCursor(Object.values(keyOf(items.at(-1)!)).map(String)) };
        items.push(item);
      }
      if (!out.LastEvaluatedKey) return { items, next: null };
      start = out.LastEvaluatedKey as Item;
    }
  }

  async countSuggestions(): Promise<number> {
    let count = 0;
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.config.tables.main,
          IndexName: INDEX.byCreated,
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': 'SUG' },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey as Item | undefined;
    } while (start);
    return count;
  }

  async listRunnable(now: string, limit: number): Promise<Suggestion[]> {
    const approved = await this.queryPage(
      { IndexName: INDEX.byState, KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': 'STATE#approved' }, ScanIndexForward: true },
      limit,
      undefined,
      (i) => ({ pk: i.pk, gsi2pk: i.gsi2pk, gsi2sk: i.gsi2sk }),
    );
    const due = await this.queryPage(
      // Every runAt is an ISO timestamp; '#' sorts before any id character, '~' after, so "<= now" is "< now~".
      { IndexName: INDEX.scheduled, KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk < :upto', ExpressionAttributeValues: { ':pk': 'SCHEDULED', ':upto': `${now}~` } },
      limit,
      undefined,
      (i) => ({ pk: i.pk, gsi4pk: i.gsi4pk, gsi4sk: i.gsi4sk }),
    );
    return [...approved.items, ...due.items]
      .map((i) => JSON.parse(i.doc as string) as Suggestion)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, limit);
  }

  async listScheduled(p: PageRequest): Promise<Page<Suggestion>> {
    const page = await this.queryPage(
      { IndexName: INDEX.scheduled, KeyConditionExpression: 'gsi4pk = :pk', ExpressionAttributeValues: { ':pk': 'SCHEDULED' } },
      p.limit ?? DEFAULT_PAGE,
      p.cursor,
      (i) => ({ pk: i.pk, gsi4pk: i.gsi4pk, gsi4sk: i.gsi4sk }),
    );
    return { items: page.items.map((i) => JSON.parse(i.doc as string) as Suggestion), next: page.next };
  }

  async getSettings(): Promise<SettingsView> {
    const item = await this.get(KEY.settings);
    if (!item) return { settings: DEFAULT_SETTINGS, version: 0, updatedAt: null, updatedBy: null };
    // Stored settings passed the schema when written; parse again so a hand-edited item cannot loosen anything. Settings stored before approvers were people upgrade here.
    return { settings: SettingsSchema.parse(upgradeSettingsDoc(JSON.parse(item.doc as string))), version: item.version as number, updatedAt: item.updatedAt as string, updatedBy: JSON.parse(item.updatedBy as string) as Actor };
  }

  async getPauses(): Promise<{ version: number; pauses: PauseInterval[] }> {
    const item = await this.get(KEY.settings);
    return item ? { version: item.version as number, pauses: JSON.parse((item.pauses as string | undefined) ?? '[]') as PauseInterval[] } : { version: 0, pauses: [] };
  }

  async recallIdempotent(scope: string, key: string): Promise<IdempotentRecord | null> {
    const item = await this.get(KEY.idempotency(scope, key));
    return item ? { fingerprint: item.fingerprint as string, status: item.status as number, body: JSON.parse(item.body as string) as unknown, at: item.at as string } : null;
  }

  async getTriage(messageKey: string): Promise<Triage | null> {
    const item = await this.get(KEY.triageRevision(messageKey, await this.triageRevision(messageKey)));
    return item ? (JSON.parse(item.doc as string) as Triage) : null;
  }

  async listTriageRevisions(messageKey: string): Promise<Triage[]> {
    const latest = await this.triageRevision(messageKey);
    const items = await Promise.all(Array.from({ length: latest }, (_, i) => this.get(KEY.triageRevision(messageKey, i + 1))));
    return items.filter((i): i is Item => i !== null).map((i) => JSON.parse(i.doc as string) as Triage);
  }

  /** The current revision, from its pointer (written with every revision from 2 on); 1 without one. */
  private async triageRevision(messageKey: string): Promise<number> {
    const pointer = await this.get(KEY.triageLatest(messageKey));
    return (pointer?.revision as number | undefined) ?? 1;
  }

  async getOutbox(suggestionId: string): Promise<OutboxEntry | null> {
    const item = await this.get(KEY.outbox(suggestionId));
    return item ? toOutbox(item) : null;
  }

  async listOutbox(state: OutboxEntry['state'], p: PageRequest = {}): Promise<Page<OutboxEntry>> {
    const page = await this.queryPage(
      { IndexName: INDEX.byState, KeyConditionExpression: 'gsi2pk = :pk', ExpressionAttributeValues: { ':pk': `OUTBOX#${state}` } },
      p.limit ?? DEFAULT_PAGE,
      p.cursor,
      (i) => ({ pk: i.pk, gsi2pk: i.gsi2pk, gsi2sk: i.gsi2sk }),
    );
    return { items: page.items.map(toOutbox), next: page.next };
  }

  async getModelUsage(day: string): Promise<ModelUsage> {
    const item = await this.get(KEY.usage(day));
    return { day, calls: (item?.calls as number) ?? 0, inputTokens: (item?.inputTokens as number) ?? 0, outputTokens: (item?.outputTokens as number) ?? 0 };
  }

  async getAuditHead(): Promise<AuditHead | null> {
    const item = await this.get(KEY.head);
    return item ? { seq: item.seq as number, hash: item.hash as string } : null;
  }

  async listAudit(after: number, limit: number): Promise<AuditEntry[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.config.tables.audit,
        KeyConditionExpression: 'chain = :c AND seq > :after',
        ExpressionAttributeValues: { ':c': CHAIN, ':after': after },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return ((out.Items ?? []) as Item[]).map(toAuditEntry);
  }

  async readAuditChain(): Promise<{ entries: AuditEntry[]; head: AuditHead | null }> {
    // The head first: entries committed after it are read too and reported, never missed.
    const head = await this.getAuditHead();
    const entries: AuditEntry[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ TableName: this.config.tables.audit, KeyConditionExpression: 'chain = :c', ExpressionAttributeValues: { ':c': CHAIN }, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      entries.push(...((out.Items ?? []) as Item[]).map(toAuditEntry));
      start = out.LastEvaluatedKey as Item | undefined;
    } while (start);
    return { entries: head ? entries.filter((e) => e.seq <= head.seq) : entries, head };
  }

  // ---- the one write ----------------------------------------------------------------------------

  /** The last audit-appending commit of this instance; the next one waits for it (see commit). */
  private appending: Promise<unknown> = Promise.resolve();

  /**
   * Commits that append to the audit chain run one at a time within this instance: they would all
   * name the same head item, and racing each other only makes losers re-chain (on DynamoDB Local,
   * one at a time, which starved unlucky writers for seconds at 32 at once). Writers in other
   * processes (other Lambda instances) still race, and re-chain as below.
   */
  async commit(changes: ChangeSet): Promise<Committed> {
    assertChangeFits(changes);
    if (!changes.audit?.length) return this.commitNow(changes);
    const run = this.appending.then(() => this.commitNow(changes));
    this.appending = run.catch(() => undefined);
    return run;
  }

  private async commitNow(changes: ChangeSet): Promise<Committed> {
    const base = [...(changes.checks ?? []).map((c) => this.check(c)), ...changes.writes.flatMap((w) => this.write(w))];
    const drafts = changes.audit ?? [];
    for (let attempt = 1; ; attempt += 1) {
      const head = drafts.length ? await this.getAuditHead() : null;
      const entries = chainDrafts(head, drafts);
      const items = [...base, ...this.auditItems(head, entries)];
      assertSizes(items);
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
        return { audit: entries };
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const reasons = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        const failedAt = reasons.map((code, i) => ({ code, i })).filter((r) => r.code !== 'None');
        const onlyHead = failedAt.length > 0 && failedAt.every((r) => r.i >= base.length) && failedAt.every((r) => r.code === 'ConditionalCheckFailed' || r.code === 'TransactionConflict');
        const contended = failedAt.every((r) => r.code === 'ConditionalCheckFailed' || r.code === 'TransactionConflict');
        if (onlyHead && attempt < HEAD_RETRIES) {
          // Only the audit head moved: everything this change rests on still holds. Chain onto the new head.
          this.stats.headRetries += 1;
          await pause(attempt);
          continue;
        }
        if (contended) throw new ConditionFailed(failedAt.map((r) => describeItem(items[r.i]!, r.code)));
        throw new Error(`DynamoDB refused the change: ${failedAt.map((r) => `${describeItem(items[r.i]!, r.code)}`).join('; ') || e.message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private check(c: Check): NonNullable<TransactWriteCommandInput['TransactItems']>[number] {
    const TableName = this.config.tables.main;
    if (c.kind === 'triageRevision') {
      // The pointer to the latest revision is written with the second; before that there is none.
      const condition = c.revision <= 1 ? notExists() : { ConditionExpression: 'revision = :revision', ExpressionAttributeValues: { ':revision': c.revision } };
      return { ConditionCheck: { TableName, Key: { pk: KEY.triageLatest(c.messageKey) }, ...condition } };
    }
    const pk = c.kind === 'settingsVersion' ? KEY.settings : KEY.suggestion(c.id);
    return { ConditionCheck: { TableName, Key: { pk }, ...versionCondition(c.version) } };
  }

  private write(w: Write): NonNullable<TransactWriteCommandInput['TransactItems']>[number] | NonNullable<TransactWriteCommandInput['TransactItems']> {
    const TableName = this.config.tables.main;
    switch (w.kind) {
      case 'suggestion':
        return { Put: { TableName, Item: suggestionItem(w.value), ...(w.expectedVersion === null ? notExists() : versionCondition(w.expectedVersion)) } };
      case 'settings': {
        const v = w.value;
        const Item = { pk: KEY.settings, kind: 'settings', version: v.version, doc: JSON.stringify(v.settings), updatedAt: v.updatedAt, updatedBy: JSON.stringify(v.updatedBy), pauses: JSON.stringify(w.pauses) };
        return { Put: { TableName, Item, ...versionCondition(v.version - 1) } };
      }
      case 'idempotency': {
        const r = w.record;
        const ttl = Math.floor(Date.parse(r.at) / 1000) + IDEMPOTENCY_TTL_SECONDS;
        const Item = { pk: KEY.idempotency(w.scope, w.key), kind: 'idempotency', fingerprint: r.fingerprint, status: r.status, body: JSON.stringify(r.body), at: r.at, ttl };
        return { Put: { TableName, Item, ...notExists() } };
      }
      case 'triage':
        return { Put: { TableName, Item: { pk: KEY.triage(w.value.messageKey), kind: 'triage', createdAt: w.value.createdAt, doc: JSON.stringify(w.value) }, ...notExists() } };
      case 'retriage': {
        // Insert-only: the new revision is a new item; the pointer names it, conditioned on the revision it replaces.
        const key = w.value.messageKey;
        const next = w.replaces + 1;
        if (w.value.revision !== next) throw new Error(`triage ${key}: revision ${w.value.revision} does not follow ${w.replaces}`);
        const revision = { Put: { TableName, Item: { pk: KEY.triageRevision(key, next), kind: 'triage', revision: next, createdAt: w.value.createdAt, doc: JSON.stringify(w.value) }, ...notExists() } };
        const pointer = { pk: KEY.triageLatest(key), kind: 'triageLatest', revision: next };
        if (w.replaces === 1) {
          // No pointer yet: the first triage must exist, and no other re-triage may have moved past it.
          return [revision, { Put: { TableName, Item: pointer, ...notExists() } }, { ConditionCheck: { TableName, Key: { pk: KEY.triage(key) }, ConditionExpression: 'attribute_exists(pk)' } }];
        }
        return [revision, { Put: { TableName, Item: pointer, ConditionExpression: 'revision = :replaces', ExpressionAttributeValues: { ':replaces': w.replaces } } }];
      }
      case 'outbox': {
        const e = w.value;
        const Item = {
          pk: KEY.outbox(e.suggestionId),
          kind: 'outbox',
          ...e,
          gsi2pk: `OUTBOX#${e.state}`,
          gsi2sk: `${e.claimedAt}#${e.suggestionId}`,
        };
        if (w.expected === null) return { Put: { TableName, Item, ...notExists() } };
        return {
          Put: {
            TableName,
            Item,
            ConditionExpression: '#state = :expectedState AND attempts = :expectedAttempts',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':expectedState': w.expected.state, ':expectedAttempts': w.expected.attempts },
          },
        };
      }
      case 'modelUsage':
        return {
          Update: {
            TableName,
            Key: { pk: KEY.usage(w.day) },
            UpdateExpression: 'ADD calls :c, inputTokens :i, outputTokens :o SET kind = :kind',
            ExpressionAttributeValues: { ':c': w.add.calls, ':i': w.add.inputTokens, ':o': w.add.outputTokens, ':kind': 'usage' },
          },
        };
    }
  }

  /** The new entries (each must not exist yet) and the head, conditioned on the head they extend. */
  private auditItems(head: AuditHead | null, entries: AuditEntry[]): NonNullable<TransactWriteCommandInput['TransactItems']> {
    const last = entries.at(-1);
    if (!last) return [];
    const puts = entries.map((e) => ({
      Put: {
        TableName: this.config.tables.audit,
        Item: { chain: CHAIN, seq: e.seq, at: e.at, actor: JSON.stringify(e.actor), action: e.action, subject: e.subject, details: JSON.stringify(e.details), prevHash: e.prevHash, hash: e.hash },
        ConditionExpression: 'attribute_not_exists(seq)',
      },
    }));
    const headCondition = head
      ? { ConditionExpression: 'seq = :seq AND #hash = :hash', ExpressionAttributeNames: { '#hash': 'hash' }, ExpressionAttributeValues: { ':seq': head.seq, ':hash': head.hash } }
      : notExists();
    return [...puts, { Put: { TableName: this.config.tables.main, Item: { pk: KEY.head, kind: 'auditHead', seq: last.seq, hash: last.hash }, ...headCondition } }];
  }
}

function suggestionItem(s: Suggestion): Item {
  const sk = `${s.createdAt}#${s.id}`;
  return {
    pk: KEY.suggestion(s.id),
    kind: 'suggestion',
    version: s.version,
    state: s.state,
    doc: JSON.stringify(s),
    ...(s.mailbox ? { mailbox: s.mailbox } : {}),
    ...(s.issueKey ? { gsi1pk: `ISSUE#${s.issueKey}`, gsi1sk: sk } : {}),
    gsi2pk: `STATE#${s.state}`,
    gsi2sk: sk,
    gsi3pk: 'SUG',
    gsi3sk: sk,
    // Sparse: only scheduled suggestions are in the runAt index.
    ...(s.state === 'scheduled' && s.runAt ? { gsi4pk: 'SCHEDULED', gsi4sk: `${s.runAt}#${s.id}` } : {}),
  };
}

function notExists() {
  return { ConditionExpression: 'attribute_not_exists(pk)' };
}

/** Version 0 means "never written". */
function versionCondition(version: number) {
  if (version === 0) return notExists();
  return { ConditionExpression: 'version = :expectedVersion', ExpressionAttributeValues: { ':expectedVersion': version } };
}

function describeItem(item: NonNullable<TransactWriteCommandInput['TransactItems']>[number], code: string): string {
  const key = item.Put ? ((item.Put.Item as Item).pk ?? `audit ${(item.Put.Item as Item).seq}`) : (((item.Update ?? item.ConditionCheck ?? item.Delete)?.Key as Item | undefined)?.pk ?? '?');
  return `${String(key)}: ${code}`;
}

function assertSizes(items: NonNullable<TransactWriteCommandInput['TransactItems']>): void {
  let total = 0;
  for (const item of items) {
    const bytes = Buffer.byteLength(JSON.stringify(item), 'utf8');
    if (bytes > MAX_ITEM_BYTES) throw new ChangeTooLarge(`one record of this change is ${Math.round(bytes / 1024)} KB; DynamoDB keeps at most 400 KB per item`);
    total += bytes;
  }
  if (total > MAX_TRANSACTION_BYTES) throw new ChangeTooLarge(`this change is ${Math.round(total / 1024)} KB; DynamoDB takes at most 4 MB per transaction`);
}

function pause(attempt: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 * 2 ** Math.min(attempt, 6))));
}

function toOutbox(item: Item): OutboxEntry {
  return { suggestionId: item.suggestionId as string, state: item.state as OutboxEntry['state'], attempts: item.attempts as number, claimedAt: item.claimedAt as string, lastError: (item.lastError as string | null) ?? null };
}

function toAuditEntry(item: Item): AuditEntry {
  return {
    seq: item.seq as number,
    at: item.at as string,
    actor: JSON.parse(item.actor as string) as AuditEntry['actor'],
    action: item.action as string,
    subject: item.subject as string,
    details: JSON.parse(item.details as string) as Record<string, unknown>,
    prevHash: item.prevHash as string,
    hash: item.hash as string,
  };
}

/** Turns the SDK's failure at start into what to fix. */
export function explainAwsError(e: Error & { name?: string; code?: string; cause?: unknown }, table: string, config: DynamoStoreConfig): string {
  // DynamoDB keeps each region's tables apart (DynamoDB Local too), so a wrong region reads as a missing table: name both.
  const where = config.endpoint ? `at ${config.endpoint} (region ${config.region})` : `in region ${config.region}`;
  if (e.name === 'ResourceNotFoundException') {
    return `DynamoDB table ${table} does not exist ${where}. Create it (infra/ deploys it; the local stack creates it) or fix the table name or region.`;
  }
  // The SDK's retry layer can wrap a socket error into its message alone (when it is not an Error of this realm).
  const code = e.code ?? (e.cause as { code?: string } | undefined)?.code ?? /\b(E[A-Z]{4,})\b/.exec(e.message ?? '')?.[1] ?? '';
  if (e.name === 'TimeoutError' || code === 'ETIMEDOUT') {
    return `Could not reach DynamoDB ${where}: no answer within ${(config.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s. Is the endpoint right and is DynamoDB running?`;
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return `Could not reach DynamoDB ${where}: ${code}. Is the endpoint right and is DynamoDB running?`;
  }
  if (e.name === 'UnrecognizedClientException' || e.name === 'InvalidSignatureException') {
    return `DynamoDB ${where} refused the credentials (${e.name}). Check the region and the role the backend runs as.`;
  }
  if (e.name === 'AccessDeniedException') return `The backend may not read DynamoDB table ${table} ${where}: ${e.message}`;
  return `DynamoDB table ${table} ${where} cannot be used: ${e.name}: ${e.message}`;
}
