import { z } from 'zod';
import { DynamoStore, type DynamoStoreConfig } from './dynamodb/dynamodb-store';
import { defaultAuditTableName } from './dynamodb/tables';
import { SqliteStore } from './sqlite/sqlite-store';
import { StoreUnavailable, type Store } from './store';

/**
 * Which store a process runs on, from its environment (checked once at start):
 * - PM_AGENT_STORE: `sqlite` (default) or `dynamodb`
 * - sqlite: PM_AGENT_SQLITE_PATH, the file
 * - dynamodb: PM_AGENT_DYNAMODB_TABLE (the main table), PM_AGENT_DYNAMODB_AUDIT_TABLE (default
 *   `<main>-audit`), AWS_REGION, and PM_AGENT_DYNAMODB_ENDPOINT only for DynamoDB Local
 */
const TableName = z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3–255 letters, digits, _ . -)');
const Region = z.string().regex(/^(local|[a-z]{2}(-gov)?-[a-z]+-\d)$/, 'must be an AWS region such as eu-west-1');

const EnvSchema = z.discriminatedUnion('PM_AGENT_STORE', [
  z.object({ PM_AGENT_STORE: z.literal('sqlite'), PM_AGENT_SQLITE_PATH: z.string().min(1, 'must name the SQLite file') }),
  z.object({
    PM_AGENT_STORE: z.literal('dynamodb'),
    PM_AGENT_DYNAMODB_TABLE: TableName,
    PM_AGENT_DYNAMODB_AUDIT_TABLE: TableName.optional(),
    AWS_REGION: Region,
    PM_AGENT_DYNAMODB_ENDPOINT: z.string().url('must be a URL such as http://127.0.0.1:8000').optional(),
  }),
]);

export type StoreConfig = { kind: 'sqlite'; file: string } | ({ kind: 'dynamodb' } & DynamoStoreConfig);

export function storeConfigFromEnv(env: Record<string, string | undefined>): StoreConfig {
  const parsed = EnvSchema.safeParse({ ...env, PM_AGENT_STORE: env.PM_AGENT_STORE ?? 'sqlite' });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path.join('.') || 'PM_AGENT_STORE';
    const message = name === 'PM_AGENT_STORE' ? 'must be sqlite or dynamodb' : issue.message === 'Required' || issue.code === 'invalid_type' ? 'is not set' : issue.message;
    throw new StoreUnavailable(`Store configuration: ${name} ${message}.`);
  }
  const e = parsed.data;
  if (e.PM_AGENT_STORE === 'sqlite') return { kind: 'sqlite', file: e.PM_AGENT_SQLITE_PATH };
  return {
    kind: 'dynamodb',
    region: e.AWS_REGION,
    endpoint: e.PM_AGENT_DYNAMODB_ENDPOINT,
    tables: { main: e.PM_AGENT_DYNAMODB_TABLE, audit: e.PM_AGENT_DYNAMODB_AUDIT_TABLE ?? defaultAuditTableName(e.PM_AGENT_DYNAMODB_TABLE) },
  };
}

/** Opens the store and proves it usable, or throws one StoreUnavailable that says what to fix. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'sqlite') {
    try {
      return new SqliteStore(config.file);
    } catch (e) {
      throw new StoreUnavailable(`Cannot open the SQLite store at ${config.file}: ${(e as Error).message}`);
    }
  }
  const { kind: _kind, ...dynamo } = config;
  const store = new DynamoStore(dynamo);
  try {
    await store.assertReady();
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
