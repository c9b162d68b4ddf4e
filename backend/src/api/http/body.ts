import type { z } from 'zod';
import { problems } from '../../domain/problem';

/** Reads at most `limit` bytes; more is a 413 before anything is parsed or stored. */
export async function readBody(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) throw problems.tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw problems.tooLarge(limit);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) (out.set(c, offset), (offset += c.byteLength));
  return out;
}

/** Decodes a JSON body and checks it against its schema; every failure names the problem. */
export function parseJsonBody<S extends z.ZodType>(bytes: Uint8Array, contentType: string | null, schema: S, what: string): z.infer<S> {
  if (bytes.byteLength === 0) throw problems.badRequest(`The ${what} is missing: send a JSON body.`);
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw problems.badRequest(`Send the ${what} as JSON with content-type application/json (got ${contentType ?? 'none'}).`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw problems.badRequest(`The ${what} is not valid UTF-8.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw problems.badRequest(`The ${what} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw problems.invalid(what, parsed.error);
  return parsed.data;
}

/** Query strings are checked like bodies: unknown or repeated parameters are refused. */
export function parseQuery<S extends z.ZodType>(params: URLSearchParams, schema: S, what: string): z.infer<S> {
  const obj: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in obj) throw problems.badRequest(`The query parameter ${k} is given more than once.`);
    obj[k] = v;
  }
  const parsed = schema.safeParse(obj);
  if (!parsed.success) throw problems.invalid(what, parsed.error);
  return parsed.data;
}
