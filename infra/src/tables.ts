import { AttributeType, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { AUDIT_TABLE, MAIN_TABLE, type KeyDef, type TableDef } from '@pm-agent/backend/store/dynamodb';

/**
 * The DynamoDB tables the stack creates: the store's own table definitions (one source of truth
 * for the store, DynamoDB Local and this stack), turned into CDK attributes. `appendOnly` tables
 * get the explicit IAM deny of UpdateItem/DeleteItem/BatchWriteItem.
 */
export interface TableDesign {
  /** Logical id and the suffix of the physical name. */
  id: string;
  def: TableDef;
  partitionKey: Attribute;
  sortKey?: Attribute;
  globalIndexes: ReadonlyArray<{ indexName: string; partitionKey: Attribute; sortKey?: Attribute }>;
  ttlAttribute?: string;
  appendOnly: boolean;
  /** The environment variable the functions read the table name from (store/open-store.ts). */
  env: string;
}

const attr = (k: KeyDef): Attribute => ({ name: k.name, type: k.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING });

function design(id: string, def: TableDef, env: string): TableDesign {
  return {
    id,
    def,
    partitionKey: attr(def.partitionKey),
    ...(def.sortKey ? { sortKey: attr(def.sortKey) } : {}),
    globalIndexes: def.indexes.map((i) => ({ indexName: i.name, partitionKey: attr(i.partitionKey), sortKey: attr(i.sortKey) })),
    ...(def.ttlAttribute ? { ttlAttribute: def.ttlAttribute } : {}),
    appendOnly: def.role === 'audit',
    env,
  };
}

export const TABLES: readonly TableDesign[] = [design('Main', MAIN_TABLE, 'PM_AGENT_DYNAMODB_TABLE'), design('Audit', AUDIT_TABLE, 'PM_AGENT_DYNAMODB_AUDIT_TABLE')];

/** What an append-only table's writers may never do. */
export const APPEND_ONLY_DENIED = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
