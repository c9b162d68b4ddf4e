import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { ANTHROPIC_API_URL, type ModelConfig } from './config';
import { failureFromError } from './errors';
import { toolInputSchema, type ToolInputSchema } from './json-schema';
import { failure, type ModelOutcome, type ModelUsage } from './outcome';
import { excerpt, safeDetail } from './redact';

/**
 * One forced tool call to Claude, checked against a zod schema. The model can only answer by
 * filling the tool's input, and that input counts only if it passes the schema: anything else is
 * a failure status, never a partial value. No retries here (maxRetries 0): the caller decides.
 */
export interface ToolCall<T> {
  system: string;
  user: string;
  toolName: string;
  toolDescription: string;
  /** Checks the answer. */
  schema: z.ZodType<T>;
  /** What the model is shown, when it should differ from `schema` (e.g. a stricter, richer shape). */
  inputSchema?: ToolInputSchema;
}

/** The parts of a Messages response we rely on; anything else in it is ignored. */
const ResponseShape = z.object({
  model: z.string(),
  stop_reason: z.string().nullable(),
  content: z.array(z.object({ type: z.string() }).loose()),
  usage: z.object({ input_tokens: z.number().nonnegative(), output_tokens: z.number().nonnegative() }).loose(),
});
const ToolUse = z.object({ type: z.literal('tool_use'), name: z.string(), input: z.unknown() }).loose();
const TextBlock = z.object({ type: z.literal('text'), text: z.string() }).loose();

const STOP_FAILURES: Readonly<Record<string, { reason: 'truncated' | 'refused'; say: string }>> = {
  max_tokens: { reason: 'truncated', say: 'the answer was cut off at max_tokens' },
  model_context_window_exceeded: { reason: 'truncated', say: "the answer was cut off at the model's context window" },
  refusal: { reason: 'refused', say: 'the model declined to answer' },
};

export async function callTool<T>(cfg: ModelConfig, call: ToolCall<T>): Promise<ModelOutcome<T>> {
  const secrets = [cfg.apiKey];
  const client = new Anthropic({
    apiKey: cfg.apiKey,
    // Explicit, so the SDK does not consult ANTHROPIC_BASE_URL, ANTHROPIC_LOG or telemetry settings.
    baseURL: cfg.baseURL ?? ANTHROPIC_API_URL,
    maxRetries: 0,
    timeout: cfg.timeoutMs,
    logLevel: 'off',
    openTelemetry: false,
  });
  let raw: unknown;
  try {
    raw = await client.messages.create({
      model: cfg.model,
      max_tokens: cfg.maxTokens,
      system: call.system,
      messages: [{ role: 'user', content: call.user }],
      tools: [{ name: call.toolName, description: call.toolDescription, input_schema: call.inputSchema ?? toolInputSchema(call.schema) }],
      tool_choice: { type: 'tool', name: call.toolName, disable_parallel_tool_use: true },
    });
  } catch (e) {
    const f = failureFromError(e, secrets);
    return failure(f.reason, f.detail);
  }
  return readAnswer(raw, call, secrets);
}

function readAnswer<T>(raw: unknown, call: ToolCall<T>, secrets: readonly string[]): ModelOutcome<T> {
  const res = ResponseShape.safeParse(raw);
  if (!res.success) return failure('api_error', 'the API answered in an unexpected shape');
  const { content, stop_reason, model } = res.data;
  const usage: ModelUsage = { inputTokens: res.data.usage.input_tokens, outputTokens: res.data.usage.output_tokens };

  // A cut-off answer may hold a half-filled tool input that happens to parse: never trust it.
  const stopped = stop_reason ? STOP_FAILURES[stop_reason] : undefined;
  if (stopped) return failure(stopped.reason, stopped.say, usage);

  const uses = content.map((b) => ToolUse.safeParse(b)).flatMap((r) => (r.success ? [r.data] : []));
  const use = uses.find((u) => u.name === call.toolName);
  if (!use) {
    const text = content.map((b) => TextBlock.safeParse(b)).flatMap((r) => (r.success ? [r.data.text] : [])).join(' ');
    const what = uses.length ? `called another tool (${excerpt(uses[0]!.name, 40)})` : text ? `answered with text only: ${excerpt(text)}` : 'gave no tool call';
    return failure('no_tool_call', safeDetail(`the model ${what}`, secrets), usage);
  }

  const parsed = call.schema.safeParse(use.input);
  if (!parsed.success) return failure('invalid_output', safeDetail(`the tool input failed the schema: ${describeIssues(parsed.error.issues)}`, secrets), usage);
  return { ok: true, value: parsed.data, usage, model };
}

/** Paths and messages only: zod's messages name the rule broken, not the (untrusted) value. */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? `; and ${issues.length - 3} more` : '');
}
