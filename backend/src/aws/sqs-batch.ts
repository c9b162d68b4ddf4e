import { ExecuteMessageSchema, type ExecuteMessage } from './execute-queue';

/** The parts of an SQS event record (Lambda event source mapping) the execute function reads. */
export interface SqsRecord {
  messageId: string;
  body: string;
  attributes?: { ApproximateReceiveCount?: string };
}
export interface SqsEvent {
  Records: SqsRecord[];
}
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/**
 * Partial batch failure: each message is worked on its own; the ones that failed are reported, so
 * SQS redelivers only those and, after the queue's maxReceiveCount, moves them to the dead-letter
 * queue. A message that cannot be read (a poison message) fails the same way: it ends in the DLQ
 * (and its alarm) instead of looping or being dropped silently.
 */
export async function processBatch(event: SqsEvent, work: (msg: ExecuteMessage) => Promise<void>, log: (line: string) => void = console.log): Promise<SqsBatchResponse> {
  const batchItemFailures: SqsBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        throw new Error('the message body is not JSON');
      }
      const msg = ExecuteMessageSchema.safeParse(body);
      if (!msg.success) throw new Error(`the message is not an execute message (${msg.error.issues[0]?.message})`);
      await work(msg.data);
    } catch (e) {
      log(JSON.stringify({ event: 'execute.message_failed', messageId: record.messageId, receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1), error: (e as Error).message.slice(0, 300) }));
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
