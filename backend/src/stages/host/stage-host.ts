import { StageRequestSchema, READY, type StageReply } from './protocol';

/**
 * Runs inside a stage process: answers each request from the runner with the handler's result.
 * Errors become a short message; the stage never sends anything it was not asked for.
 */
export function serveStage(handler: (input: unknown) => Promise<unknown>): void {
  const send = (m: StageReply | typeof READY) => process.send?.(m);
  process.on('message', (raw: unknown) => {
    const parsed = StageRequestSchema.safeParse(raw);
    if (!parsed.success) return; // not a request: ignore
    const { id, input } = parsed.data;
    handler(input).then(
      (output) => send({ type: 'reply', id, ok: true, output }),
      (e: unknown) => send({ type: 'reply', id, ok: false, error: String((e as Error)?.message ?? e).slice(0, 2_000) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send(READY);
}
