/** The DynamoDB store and its table definitions (as data): `@pm-agent/backend/store/dynamodb`. */
export * from './tables';
export * from './create-tables';
export * from './dynamodb-store';
