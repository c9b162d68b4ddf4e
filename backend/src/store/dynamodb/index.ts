/** `@pm-agent/backend/store/dynamodb`: the DynamoDB store, its table definitions (as data) and table creation. */
export * from './dynamodb-store';
export * from './tables';
export * from './create-tables';
