import { join } from 'node:path';
import { ensureTables } from '@pm-agent/backend/store/dynamodb';
import type { DynamoStoreConfig } from '@pm-agent/backend/store/dynamodb';
import { openStore } from '@pm-agent/backend/store';
import type { Store } from '@pm-agent/backend/store';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynamoDbLocal } from '../dynamodb-local';

/**
 * The local stack's store: SQLite in `<home>/pm-agent.sqlite` (the embedded default), or DynamoDB:
 * Amazon's DynamoDB Local on 127.0.0.1 (`port`, 8000 by default) with its data under
 * `<home>/dynamodb`, the tables created from the same definitions infra/ deploys. `endpoint`
 * uses a DynamoDB Local that is already running (tests share one) instead of starting one.
 */
export type LocalStoreChoice = { kind: 'sqlite' } | { kind: 'dynamodb'; endpoint?: string; port?: number; tables?: { main: string; audit: string } };

export const LOCAL_TABLES = { main: 'pm-agent', audit: 'pm-agent-audit' };

export async function openLocalStore(choice: LocalStoreChoice, home: string, dbFile: string, log?: (line: string) => void): Promise<{ store: Store; close(): Promise<void> }> {
  if (choice.kind === 'sqlite') {
    const store = await openStore({ kind: 'sqlite', file: dbFile });
    return { store, close: () => store.close() };
  }
  const local = choice.endpoint ? undefined : await startDynamoDbLocal({ port: choice.port ?? 8000, dataDir: join(home, 'dynamodb'), log });
  try {
    const config: DynamoStoreConfig = {
      region: DYNAMODB_LOCAL_REGION,
      endpoint: choice.endpoint ?? local!.endpoint,
      credentials: DYNAMODB_LOCAL_CREDENTIALS,
      tables: choice.tables ?? LOCAL_TABLES,
    };
    const created = await ensureTables(config);
    if (created.length) log?.(`created DynamoDB tables ${created.join(', ')}`);
    const store = await openStore({ kind: 'dynamodb', ...config });
    return {
      store,
      close: async () => {
        await store.close();
        await local?.stop();
      },
    };
  } catch (e) {
    await local?.stop();
    throw e;
  }
}
