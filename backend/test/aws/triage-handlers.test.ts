import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { EmailInput } from '@pm-agent/shared';
import { handler as classifyHandler } from '../../src/aws/classify-handler';
import { handler as sanitiseHandler } from '../../src/aws/sanitise-handler';
import { SecretCache } from '../../src/aws/secrets';
import { SfnStages } from '../../src/aws/sfn-stages';
import { classifyWork } from '../../src/stages/classify/work';
import { AwsError, clientConfig, startAwsStandIn, type AwsStandIn } from './support/aws-json-standin';

/**
 * The triage Lambdas in-process, with the events Step Functions sends them, behind the real SFN and
 * Secrets Manager clients talking to a local stand-in of those services.
 */
const email = JSON.parse(readFileSync(join(__dirname, '../fixtures/emails/ordinary/deadline-moves-abc-123.json'), 'utf8')) as EmailInput;
const ctx = { internalDomains: ['example.com'], defaultProjectKey: 'ABC' };
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:PmAgent/anthropic-AbCdEf';

let secrets: Record<string, string>;
let aws: AwsStandIn;
let classifyEvents: unknown[];

beforeAll(async () => {
  classifyEvents = [];
  aws = await startAwsStandIn({
    // Step Functions, as the synthesised definition runs: Sanitise with the whole input → $.sanitised;
    // Classify with {sanitised, classify} only → $.classified.
    'AWSStepFunctions.StartSyncExecution': async (body) => {
      const input = JSON.parse(body.input);
      const sanitised = await sanitiseHandler(input);
      const event = { sanitised, classify: input.classify };
      classifyEvents.push(event);
      const classified = await classifyHandler(event);
      return { executionArn: `${body.stateMachineArn}:x`, status: 'SUCCEEDED', output: JSON.stringify({ ...input, sanitised, classified }), startDate: 0, stopDate: 0 };
    },
    'secretsmanager.GetSecretValue': (body) => {
      if (!(body.SecretId in secrets)) throw new AwsError('ResourceNotFoundException', 'no such secret');
      return { ARN: body.SecretId, Name: 'x', SecretString: secrets[body.SecretId] };
    },
  });
  // The handlers build their own Secrets Manager client: point it at the stand-in the SDK's way.
  Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.endpoint, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDSTANDIN', AWS_SECRET_ACCESS_KEY: 'stand-in-not-a-secret', PM_AGENT_ANTHROPIC_SECRET_ARN: SECRET });
});
afterAll(() => aws.close());
beforeEach(() => {
  secrets = { [SECRET]: JSON.stringify({ apiKey: '' }) };
});

describe('the triage machine through the API side (SfnStages)', () => {
  it('one synchronous execution answers sanitise, then classify for that hand-over, like the local stages', async () => {
    const stages = new SfnStages('arn:aws:states:eu-west-1:111122223333:stateMachine:Triage', { ctx, model: null }, new SFNClient(clientConfig(aws.endpoint)));
    const sanitised = (await stages.call('sanitise', { email, model: null })) as any;
    expect(sanitised.engine).toEqual({ classifier: 'offline', model: null });
    expect(sanitised.sanitised.facts.issueKeys).toContain('ABC-123');
    const handOver = { ...sanitised.sanitised, facts: sanitised.sanitised.facts };
    const classified = await stages.call('classify', { email: handOver, ctx, model: null });
    expect(classified).toEqual(await classifyWork({ email: handOver, ctx, model: null }, undefined));
    // the classify Lambda never saw the raw email
    expect(JSON.stringify(classifyEvents.at(-1))).not.toContain(email.bodyText!.slice(0, 60));
    // a classify for another hand-over gets nothing from this execution
    await expect(stages.call('classify', { email: { ...handOver, subject: 'other' }, ctx, model: null })).rejects.toThrow(/no classify result/);
  });

  it('the classify handler refuses an event that carries the raw email', async () => {
    const sanitised = await sanitiseHandler({ sanitise: { email, model: null }, classify: { ctx, model: null } });
    await expect(classifyHandler({ sanitised, classify: { ctx, model: null }, sanitise: { email, model: null } })).rejects.toThrow();
  });

  it('a failed execution becomes an error the pipeline turns into needs_review', async () => {
    const failing = await startAwsStandIn({ 'AWSStepFunctions.StartSyncExecution': () => ({ executionArn: 'x', status: 'FAILED', error: 'States.TaskFailed', startDate: 0, stopDate: 0 }) });
    try {
      const stages = new SfnStages('arn:aws:states:eu-west-1:111122223333:stateMachine:Triage', { ctx, model: null }, new SFNClient(clientConfig(failing.endpoint)));
      await expect(stages.call('sanitise', { email, model: null })).rejects.toThrow(/FAILED \(States.TaskFailed\)/);
    } finally {
      await failing.close();
    }
  });
});

describe('secrets at run time', () => {
  it('the model key comes from the secret; an empty key means the offline classifier, asked of Secrets Manager with the stage\'s secret ARN', async () => {
    const before = aws.calls.length;
    const reply = await sanitiseHandler({ sanitise: { email, model: { model: 'claude-x', maxTokens: 1024, timeoutMs: 20000 } }, classify: { ctx, model: null } });
    expect(reply.engine.classifier).toBe('offline');
    const asked = aws.calls.slice(before).filter((c) => c.target === 'secretsmanager.GetSecretValue');
    expect(asked.map((c) => c.body.SecretId)).toEqual([SECRET]);
  });

  it('the cache reads once within its time, again after it, and never keeps a failure', async () => {
    let now = 0;
    const cache = new SecretCache(new SecretsManagerClient(clientConfig(aws.endpoint)), 60_000, () => now);
    const count = () => aws.calls.filter((c) => c.target === 'secretsmanager.GetSecretValue').length;
    const start = count();
    await Promise.all([cache.get(SECRET), cache.get(SECRET)]);
    await cache.get(SECRET);
    expect(count() - start).toBe(1);
    now = 61_000;
    secrets[SECRET] = JSON.stringify({ apiKey: 'rotated' });
    expect(await cache.get(SECRET)).toEqual({ apiKey: 'rotated' });
    expect(count() - start).toBe(2);
    await expect(cache.get('arn:missing')).rejects.toThrow(/ResourceNotFoundException/);
    secrets['arn:missing'] = '{}';
    expect(await cache.get('arn:missing')).toEqual({});
  });

  it('a secret that is not JSON is refused without its value in the error', async () => {
    const cache = new SecretCache(new SecretsManagerClient(clientConfig(aws.endpoint)), 60_000);
    secrets[SECRET] = ['sk', 'ant', 'plain-value-not-json'].join('-');
    const err = await cache.get(SECRET).catch((e: Error) => e);
    expect(String(err)).toMatch(/not JSON/);
    expect(String(err)).not.toContain('sk-ant');
  });
});
