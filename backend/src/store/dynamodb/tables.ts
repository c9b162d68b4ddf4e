/**
 * The DynamoDB table design, as data: the one source of truth for the store (which reads and
 * writes these attributes), for the local stack (which creates the tables in DynamoDB Local) and
 * for infra/ (whose CDK stack builds the real tables from the same definitions).
 * backend/src/store/dynamodb/README.md explains the design.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDef {
  name: string;
  type: AttributeType;
}

export interface IndexDef {
  name: string;
  partitionKey: KeyDef;
  sortKey: KeyDef;
  /** Every index projects the whole item. */
  projection: 'ALL';
}

export interface TableDef {
  /** Which configured table this is. */
  role: 'main' | 'audit';
  partitionKey: KeyDef;
  sortKey?: KeyDef;
  indexes: readonly IndexDef[];
  /** Items with this attribute (epoch seconds) are removed by DynamoDB's TTL after that time. */
  ttlAttribute?: string;
}

const S = (name: string): KeyDef => ({ name, type: 'S' });

export const INDEX = {
  byIssue: 'byIssue',
  byState: 'byState',
  byCreated: 'byCreated',
  scheduled: 'scheduled',
} as const;

/** Suggestions, settings (with the pause intervals), triage, idempotency records, outbox, model usage, the audit head. */
export const MAIN_TABLE: TableDef = {
  role: 'main',
  partitionKey: S('pk'),
  indexes: [
    { name: INDEX.byIssue, partitionKey: S('gsi1pk'), sortKey: S('gsi1sk'), projection: 'ALL' },
    { name: INDEX.byState, partitionKey: S('gsi2pk'), sortKey: S('gsi2sk'), projection: 'ALL' },
    { name: INDEX.byCreated, partitionKey: S('gsi3pk'), sortKey: S('gsi3sk'), projection: 'ALL' },
    { name: INDEX.scheduled, partitionKey: S('gsi4pk'), sortKey: S('gsi4sk'), projection: 'ALL' },
  ],
  ttlAttribute: 'ttl',
};

/** The audit trail: append-only entries, one chain, by sequence. Its head lives in the main table. */
export const AUDIT_TABLE: TableDef = {
  role: 'audit',
  partitionKey: S('chain'),
  sortKey: { name: 'seq', type: 'N' },
  indexes: [],
};

export const TABLES = [MAIN_TABLE, AUDIT_TABLE] as const;

/** The audit table's name when only the main table is named. */
export function defaultAuditTableName(main: string): string {
  return `${main}-audit`;
}

/** How long an idempotency record is kept (then TTL removes it): a retry comes within minutes. */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

/** CreateTable input for a definition (on-demand billing), as the local stack and tests use it. */
export function createTableInput(name: string, def: TableDef) {
  const keys = [def.partitionKey, ...(def.sortKey ? [def.sortKey] : []), ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const attributes = [...new Map(keys.map((k) => [k.name, k])).values()];
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: [
      { AttributeName: def.partitionKey.name, KeyType: 'HASH' as const },
      ...(def.sortKey ? [{ AttributeName: def.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
    ...(def.indexes.length
      ? {
          GlobalSecondaryIndexes: def.indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey.name, KeyType: 'HASH' as const },
              { AttributeName: i.sortKey.name, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: i.projection },
          })),
        }
      : {}),
  };
}
