import { z } from 'zod';

/**
 * Messages between the runner and a stage process, over Node's IPC channel. A stage answers
 * requests and nothing else: there is no message by which a stage can ask the runner for anything.
 */
export const StageRequestSchema = z.strictObject({ type: z.literal('request'), id: z.string(), input: z.unknown() });
export type StageRequest = z.infer<typeof StageRequestSchema>;

export const StageReplySchema = z.union([
  z.strictObject({ type: z.literal('reply'), id: z.string(), ok: z.literal(true), output: z.unknown() }),
  z.strictObject({ type: z.literal('reply'), id: z.string(), ok: z.literal(false), error: z.string().max(2_000) }),
]);
export type StageReply = z.infer<typeof StageReplySchema>;

export const READY = { type: 'ready' } as const;
