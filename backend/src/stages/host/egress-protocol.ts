import { z } from 'zod';

/**
 * The one thing a network-less stage may ask its runner: make this HTTP request for me. The runner
 * makes it only to the origins the stage's policy names (the model API), without following redirects.
 * Bodies travel base64-encoded over the JSON IPC channel.
 */
export const EGRESS_LIMITS = { requestBytes: 4 * 1024 * 1024, responseBytes: 8 * 1024 * 1024, timeoutMs: 120_000 } as const;

const HeaderList = z.array(z.tuple([z.string().max(200), z.string().max(8_192)])).max(100);

export const EgressRequestSchema = z.strictObject({
  type: z.literal('egress'),
  id: z.string().max(100),
  url: z.string().max(4_096),
  method: z.enum(['GET', 'POST']),
  headers: HeaderList,
  body: z.string().max(Math.ceil((EGRESS_LIMITS.requestBytes * 4) / 3) + 4).nullable(),
});
export type EgressRequest = z.infer<typeof EgressRequestSchema>;

export const EgressReplySchema = z.union([
  z.strictObject({ type: z.literal('egress-reply'), id: z.string(), ok: z.literal(true), status: z.number().int(), headers: HeaderList, body: z.string() }),
  z.strictObject({ type: z.literal('egress-reply'), id: z.string(), ok: z.literal(false), error: z.string().max(1_000) }),
]);
export type EgressReply = z.infer<typeof EgressReplySchema>;
