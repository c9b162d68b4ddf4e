import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import type { DynamoStoreConfig } from './dynamodb-store';
import { TABLES, createTableInput } from './tables';

/**
 * Creates the store's tables if they are missing (the local stack and tests; on AWS infra/ creates
 * them from the same definitions). Returns the names it created.
 */
export async function ensureTables(config: DynamoStoreConfig): Promise<string[]> {
  const client = new DynamoDBClient({ region: config.region, endpoint: config.endpoint, credentials: config.credentials });
  const created: string[] = [];
  try {
    for (const def of TABLES) {
      const name = config.tables[def.role];
      const exists = await client.send(new DescribeTableCommand({ TableName: name })).then(
        () => true,
        (e: Error) => (e.name === 'ResourceNotFoundException' ? false : Promise.reject(e)),
      );
      if (exists) continue;
      try {
        await client.send(new CreateTableCommand(createTableInput(name, def)));
      } catch (e) {
        if (!(e instanceof ResourceInUseException)) throw e;
      }
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
      if (def.ttlAttribute) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true } }));
      }
      created.push(name);
    }
  } finally {
    client.destroy();
  }
  return created;
}
