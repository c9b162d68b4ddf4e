import { join } from 'node:path';
import { ensureTables } from '@pm-agent/backend/store/dynamodb';
import type { DynamoStoreConfig } from '@pm-agent/backend/store/dynamodb';
import { openStore } from '@pm-agent/backend/store';
import type { Store } from '@pm-agent/backend/store';
import { anchored, anchorIfEmpty } from '@pm-agent/backend/store';
import { ANCHOR_FILE, ANCHOR_KEY_FILE, FileAnchor } from '../audit-anchor';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynamoDbLocal } from '../dynamodb-local';

/**
 * The local stack's store: SQLite in `<home>/pm-agent.sqlite` (the embedded default), or DynamoDB:
 * Amazon's DynamoDB Local on 127.0.0.1 (`port`, 8000 by default) with its data under
 * `<home>/dynamodb`, the tables created from the same definitions infra/ deploys. `endpoint`
 * uses a DynamoDB Local that is already running (tests share one) instead of starting one.
 * Either way every commit's audit head is published to the anchor file in `home` (see
 * dev-stack/src/audit-anchor), outside the store.
 */
export type LocalStoreChoice = { kind: 'sqlite' } | { kind: 'dynamodb'; endpoint?: string; port?: number; tables?: { main: string; audit: string } };

export const LOCAL_TABLES = { main: 'pm-agent', audit: 'pm-agent-audit' };

export async function openLocalStore(choice: LocalStoreChoice, home: string, dbFile: string, log?: (line: string) => void): Promise<{ store: Store; close(): Promise<void> }> {
  const anchor = new FileAnchor(join(home, ANCHOR_FILE), join(home, ANCHOR_KEY_FILE));
  if (choice.kind === 'sqlite') {
    const raw = await openStore({ kind: 'sqlite', file: dbFile });
    if (await anchorIfEmpty(raw, anchor, new Date().toISOString())) log?.(`audit anchor: published the existing head to ${anchor.describe}`);
    return { store: anchored(raw, anchor, log), close: () => raw.close() };
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
    const raw = await openStore({ kind: 'dynamodb', ...config });
    if (await anchorIfEmpty(raw, anchor, new Date().toISOString())) log?.(`audit anchor: published the existing head to ${anchor.describe}`);
    return {
      store: anchored(raw, anchor, log),
      close: async () => {
        await raw.close();
        await local?.stop();
      },
    };
  } catch (e) {
    await local?.stop();
    throw e;
  }
}
