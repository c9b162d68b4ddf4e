import { createHash } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ExecuteQueue } from '../../src/aws/execute-queue';
import { processBatch } from '../../src/aws/sqs-batch';
import { clientConfig, startAwsStandIn, type AwsStandIn } from './support/aws-json-standin';

/** The execute queue's two ends: sending through the real SQS client, and partial batch failure. */
let aws: AwsStandIn;
let refuse = false;
beforeAll(async () => {
  aws = await startAwsStandIn({
    'AmazonSQS.SendMessageBatch': (body) =>
      refuse
        ? { Successful: [], Failed: body.Entries.map((e: { Id: string }) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'try later' })) }
        : { Successful: body.Entries.map((e: { Id: string; MessageBody: string }) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: createHash('md5').update(e.MessageBody).digest('hex') })), Failed: [] },
  });
});
afterAll(() => aws.close());

const record = (messageId: string, body: string) => ({ messageId, body, attributes: { ApproximateReceiveCount: '1' } });

describe('execute queue', () => {
  it('sends one message per distinct id, in batches of ten, holding only the id', async () => {
    const q = new ExecuteQueue('http://127.0.0.1/111122223333/execute', new SQSClient(clientConfig(aws.endpoint)));
    const ids = Array.from({ length: 12 }, (_, i) => `sug_${i}abc`);
    await q.enqueue([...ids, ids[0]!]);
    const batches = aws.calls.filter((c) => c.target === 'AmazonSQS.SendMessageBatch').map((c) => c.body.Entries.map((e: { MessageBody: string }) => JSON.parse(e.MessageBody)));
    expect(batches.map((b: unknown[]) => b.length)).toEqual([10, 2]);
    expect(batches.flat()).toEqual(ids.map((suggestionId) => ({ suggestionId })));
  });

  it('throws when SQS refuses a message, so the claim is queued again later', async () => {
    refuse = true;
    try {
      await expect(new ExecuteQueue('http://127.0.0.1/111122223333/execute', new SQSClient(clientConfig(aws.endpoint))).enqueue(['sug_1'])).rejects.toThrow(/refused 1 message/);
    } finally {
      refuse = false;
    }
  });
});

describe('partial batch failure', () => {
  it('reports only the failed and unreadable messages; the good ones are worked once each', async () => {
    const worked: string[] = [];
    const lines: string[] = [];
    const out = await processBatch(
      { Records: [record('a', '{"suggestionId":"sug_ok1"}'), record('b', 'not json'), record('c', '{"suggestionId":"sug_boom"}'), record('d', '{"suggestionId":"../etc"}'), record('e', '{"suggestionId":"sug_ok2","extra":1}'), record('f', '{"suggestionId":"sug_ok3"}')] },
      async ({ suggestionId }) => {
        if (suggestionId === 'sug_boom') throw new Error('Jira answered 503');
        worked.push(suggestionId);
      },
      (l) => lines.push(l),
    );
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }, { itemIdentifier: 'd' }, { itemIdentifier: 'e' }]);
    expect(worked).toEqual(['sug_ok1', 'sug_ok3']);
    expect(lines.map((l) => JSON.parse(l).messageId)).toEqual(['b', 'c', 'd', 'e']);
  });
});
