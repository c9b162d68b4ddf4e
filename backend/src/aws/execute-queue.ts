import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { z } from 'zod';

/**
 * The execute queue's message: which suggestion to run. Nothing else: the execute function reads
 * the suggestion, the settings and the outbox from the store itself, so a forged or replayed
 * message can at most ask for a run the store already allows (claim is conditional; the Jira
 * comment carries its marker).
 */
export const ExecuteMessageSchema = z.strictObject({ suggestionId: z.string().regex(/^sug_[0-9A-Za-z]{1,64}$/) });
export type ExecuteMessage = z.infer<typeof ExecuteMessageSchema>;

export interface SqsPort {
  send(command: SendMessageBatchCommand): Promise<{ Failed?: Array<{ Id?: string; Message?: string }> }>;
}

export class ExecuteQueue {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SqsPort = new SQSClient({}),
  ) {}

  /** Sends one message per id (batches of 10); throws if any was not accepted, so the caller can retry. */
  async enqueue(ids: readonly string[]): Promise<void> {
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 10) {
      const batch = unique.slice(i, i + 10);
      const out = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batch.map((suggestionId, n) => ({ Id: String(n), MessageBody: JSON.stringify({ suggestionId } satisfies ExecuteMessage) })) }),
      );
      if (out.Failed?.length) throw new Error(`the execute queue refused ${out.Failed.length} message(s): ${out.Failed[0]?.Message ?? 'no reason given'}`);
    }
  }
}
