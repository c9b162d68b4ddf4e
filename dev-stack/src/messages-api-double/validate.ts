import { z } from 'zod';

/**
 * LOCAL STAND-IN, not the Anthropic API. The request checks the real Messages API makes that our
 * client could get wrong: headers, required fields, tool definitions, and a forced tool_choice that
 * names a defined tool. Unknown top-level fields are refused, as the real API refuses them.
 */
const Block = z.object({ type: z.string().min(1) }).loose();
const Tool = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'String should match pattern ^[a-zA-Z0-9_-]{1,128}$'),
    description: z.string().optional(),
    input_schema: z.object({ type: z.literal('object') }).loose(),
  })
  .loose();

export const MessagesRequestSchema = z
  .strictObject({
    model: z.string().min(1),
    max_tokens: z.number().int().nonnegative(),
    messages: z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: z.union([z.string().min(1), z.array(Block).min(1)]) })).min(1),
    system: z.union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }).loose())]).optional(),
    tools: z.array(Tool).optional(),
    tool_choice: z.object({ type: z.enum(['auto', 'any', 'tool', 'none']), name: z.string().optional(), disable_parallel_tool_use: z.boolean().optional() }).strict().optional(),
    temperature: z.number().min(0).max(1).optional(),
    top_p: z.number().optional(),
    top_k: z.number().int().optional(),
    stop_sequences: z.array(z.string()).optional(),
    metadata: z.object({}).loose().optional(),
    stream: z.literal(false).optional(),
  })
  .superRefine((body, ctx) => {
    const choice = body.tool_choice;
    if (choice?.type === 'tool' && !body.tools?.some((t) => t.name === choice.name)) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice', 'name'], message: `Tool '${choice.name ?? ''}' not found in tools` });
    }
  });
export type MessagesRequest = z.infer<typeof MessagesRequestSchema>;

export type Check = { ok: true; body: MessagesRequest } | { ok: false; status: number; errorType: string; message: string };

export function checkRequest(headers: Record<string, string>, rawBody: string, apiKey: string): Check {
  const bearer = /^Bearer (.+)$/.exec(headers['authorization'] ?? '')?.[1];
  const key = headers['x-api-key'] ?? bearer;
  if (!key) return { ok: false, status: 401, errorType: 'authentication_error', message: 'x-api-key header is required' };
  if (key !== apiKey) return { ok: false, status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' };
  if (!headers['anthropic-version']) return { ok: false, status: 400, errorType: 'invalid_request_error', message: 'anthropic-version: header is required' };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, status: 400, errorType: 'invalid_request_error', message: 'The request body is not valid JSON.' };
  }
  const parsed = MessagesRequestSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { ok: false, status: 400, errorType: 'invalid_request_error', message: `${i?.path.join('.') || 'body'}: ${i?.message ?? 'invalid'}` };
  }
  return { ok: true, body: parsed.data };
}
