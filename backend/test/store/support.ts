import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/dynamodb-local';
import { ensureTables } from '../../src/store/dynamodb/create-tables';
import { DynamoStore, type DynamoStoreConfig } from '../../src/store/dynamodb/dynamodb-store';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';

/**
 * Both stores behind one interface for the contract suite: each `open()` gives a fresh, empty
 * store (its own SQLite file, or its own DynamoDB tables); `reopen` opens the same data again.
 */
export interface StoreKind {
  name: 'sqlite' | 'dynamodb';
  open(): Promise<{ store: Store; reopen(): Promise<Store> }>;
  /** Once per test file. */
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

export function sqliteKind(): StoreKind {
  let dir = '';
  return {
    name: 'sqlite',
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'pm-agent-store-'));
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
    async open() {
      const file = join(dir, `${randomBytes(6).toString('hex')}.sqlite`);
      return { store: new SqliteStore(file), reopen: async () => new SqliteStore(file) };
    },
  };
}

export function dynamoKind(): StoreKind & { local(): DynamoDbLocal; config(): DynamoStoreConfig } {
  let local: DynamoDbLocal | undefined;
  let last: DynamoStoreConfig | undefined;
  return {
    name: 'dynamodb',
    local: () => local!,
    config: () => last!,
    async setup() {
      local = await startDynamoDbLocal({});
    },
    async teardown() {
      await local?.stop();
    },
    async open() {
      const prefix = `t${randomBytes(5).toString('hex')}`;
      const config: DynamoStoreConfig = {
        region: DYNAMODB_LOCAL_REGION,
        endpoint: local!.endpoint,
        credentials: DYNAMODB_LOCAL_CREDENTIALS,
        tables: { main: `${prefix}-main`, audit: `${prefix}-audit` },
      };
      last = config;
      await ensureTables(config);
      const store = new DynamoStore(config);
      await store.assertReady();
      return { store, reopen: async () => new DynamoStore(config) };
    },
  };
}
