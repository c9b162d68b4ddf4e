import { createHash } from 'node:crypto';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { ClassifyContext, ModelRequest } from '../contracts/stage-io';
import { TriageMachineOutputSchema } from './triage-machine';

export interface SfnPort {
  send(command: StartSyncExecutionCommand): Promise<{ status?: string; output?: string; error?: string; cause?: string }>;
}

/**
 * The API's side of the triage state machine, shaped as the pipeline's `stages` port. The pipeline
 * asks for sanitise, then for classify with sanitise's hand-over; on AWS one synchronous
 * execution runs both, so `sanitise` starts it and keeps classify's reply for the `classify` call
 * that follows, matched by the hand-over it was computed from. The API role may only
 * StartSyncExecution on this one machine.
 */
export class SfnStages {
  private readonly pending = new Map<string, unknown>();

  constructor(
    private readonly machineArn: string,
    private readonly classify: { ctx: ClassifyContext; model: ModelRequest | null },
    private readonly client: SfnPort = new SFNClient({}),
  ) {}

  async call(stage: 'sanitise' | 'classify', input: unknown): Promise<unknown> {
    if (stage === 'classify') {
      const key = handOverKey((input as { email?: unknown }).email);
      const reply = this.pending.get(key);
      this.pending.delete(key);
      if (reply === undefined) throw new Error('the triage machine gave no classify result for this hand-over');
      if (reply && typeof reply === 'object' && 'skipped' in reply) throw new Error('the classify step was skipped');
      return reply;
    }
    const out = await this.client.send(new StartSyncExecutionCommand({ stateMachineArn: this.machineArn, input: JSON.stringify({ sanitise: input, classify: this.classify }) }));
    if (out.status !== 'SUCCEEDED') throw new Error(`the triage machine ended ${out.status ?? 'without a status'}${out.error ? ` (${out.error})` : ''}`);
    const parsed = TriageMachineOutputSchema.safeParse(JSON.parse(out.output ?? 'null'));
    if (!parsed.success) throw new Error('the triage machine answered in an unexpected shape');
    const { sanitised, classified } = parsed.data;
    if (sanitised.sanitised.facts) {
      if (this.pending.size > 100) this.pending.clear(); // abandoned entries (a capped triage never asks for classify)
      this.pending.set(handOverKey({ ...sanitised.sanitised, facts: sanitised.sanitised.facts }), classified);
    }
    return sanitised;
  }
}

function handOverKey(handOver: unknown): string {
  return createHash('sha256').update(JSON.stringify(handOver ?? null)).digest('hex');
}
