import { AttributeType, type Attribute } from 'aws-cdk-lib/aws-dynamodb';

/**
 * The DynamoDB tables the stack creates, as data. The DynamoDB store owns the table design; when
 * its exported definitions land, this module re-exports them instead of declaring its own.
 * `appendOnly` tables get the explicit IAM deny of UpdateItem/DeleteItem/BatchWriteItem.
 */
export interface TableDesign {
  /** Logical id and the suffix of the physical name. */
  id: string;
  partitionKey: Attribute;
  sortKey?: Attribute;
  globalIndexes: ReadonlyArray<{ indexName: string; partitionKey: Attribute; sortKey?: Attribute }>;
  ttlAttribute?: string;
  appendOnly: boolean;
  /** The environment variable the Lambdas read the table name from. */
  env: string;
}

export const TABLES: readonly TableDesign[] = [
  {
    id: 'Main',
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
    globalIndexes: [{ indexName: 'gsi1', partitionKey: { name: 'gsi1pk', type: AttributeType.STRING }, sortKey: { name: 'gsi1sk', type: AttributeType.STRING } }],
    appendOnly: false,
    env: 'PM_AGENT_DYNAMODB_TABLE',
  },
  {
    id: 'Audit',
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'seq', type: AttributeType.NUMBER },
    globalIndexes: [],
    appendOnly: true,
    env: 'PM_AGENT_DYNAMODB_AUDIT_TABLE',
  },
];

/** What an append-only table's writers may never do. */
export const APPEND_ONLY_DENIED = ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'] as const;
