import { sanitiseWork } from '../stages/sanitise/work';
import { modelKey } from './stage-secret';
import { TriageMachineInputSchema } from './triage-machine';
import type { SanitiseReply } from '../contracts/stage-io';

/**
 * Step Functions task handler: triage stage 1. Its role can read the Anthropic secret and nothing
 * else: no tables, no Jira secret, no queue. The reply (never the raw text) goes to `$.sanitised`.
 */
export async function handler(event: unknown): Promise<SanitiseReply> {
  const input = TriageMachineInputSchema.parse(event);
  const apiKey = input.sanitise.model ? await modelKey() : undefined;
  return sanitiseWork(input.sanitise, apiKey);
}
