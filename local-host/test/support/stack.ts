export { startLocalStack as startTestStack, type LocalStack as TestStack } from '../../src/stack';
