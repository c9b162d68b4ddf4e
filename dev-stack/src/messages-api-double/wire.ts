import { randomBytes } from 'node:crypto';

/**
 * LOCAL STAND-IN, not the Anthropic API. The Messages API's wire shapes as the double sends them:
 * message bodies, error bodies and rough token counts (characters / 4).
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function id(prefix: 'msg' | 'toolu' | 'req'): string {
  const bytes = randomBytes(24);
  return `${prefix}_01${Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('')}`;
}

export const roughTokens = (value: unknown): number => Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));

export type ContentBlock =
  | { type: 'text'; text: string; citations: null }
  | { type: 'tool_use'; id: string; name: string; input: unknown; caller: { type: 'direct' } };

export interface MessageBody {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
  stop_sequence: null;
  stop_details: { type: 'refusal'; category: null; explanation: string | null } | null;
  container: null;
  usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: 0; cache_read_input_tokens: 0; service_tier: 'standard' };
}

export function message(model: string, content: ContentBlock[], stop: MessageBody['stop_reason'], inputTokens: number, outputTokens?: number): MessageBody {
  return {
    id: id('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens ?? roughTokens(content), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' },
  };
}

export function errorBody(type: string, msg: string, requestId: string): { type: 'error'; error: { type: string; message: string }; request_id: string } {
  return { type: 'error', error: { type, message: msg }, request_id: requestId };
}
