import { z } from 'zod';

/**
 * A tool's input_schema from a zod schema. The API wants a JSON Schema whose root is an object;
 * `$schema` is dropped, and `pattern` is dropped where a `format` already says the same thing
 * (zod's date and email patterns are long and cost tokens on every call). The zod schema itself
 * still checks the answer, so nothing is lost.
 */
export type ToolInputSchema = { type: 'object'; properties?: unknown; required?: string[]; [k: string]: unknown };

export function toolInputSchema(schema: z.ZodType): ToolInputSchema {
  const json = tidy(z.toJSONSchema(schema, { target: 'draft-2020-12', unrepresentable: 'any' }));
  if (!isRecord(json) || json['type'] !== 'object') throw new Error('a tool input schema must describe an object');
  const { $schema: _drop, ...rest } = json;
  return { ...rest, type: 'object' };
}

function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'pattern' && typeof node['format'] === 'string') continue;
    out[k] = tidy(v);
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
