import { z } from 'zod';
import { SettingsSchema, SuggestionSchema } from '@pm-agent/shared';

/** What the runner hands the execute stage, and what it answers. Both cross a process edge, so both are schemas. */
export const ExecuteJobSchema = z.strictObject({
  suggestion: SuggestionSchema,
  /** The installation's settings as they are now: the stage re-checks the boundary against them. */
  settings: SettingsSchema,
  now: z.iso.datetime(),
});
export type ExecuteJob = z.infer<typeof ExecuteJobSchema>;

export const ExecuteOutcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('executed'), summary: z.string().max(2_000), link: z.string().max(2_000).optional() }),
  z.strictObject({
    outcome: z.literal('failed'),
    summary: z.string().max(2_000),
    retryable: z.boolean(),
    /** A status change to a status the workflow cannot reach: the statuses Jira offered instead. */
    offeredStatuses: z.array(z.string().max(255)).max(50).optional(),
  }),
  /** The stage's own check said no: never-do, or not allowed under the current settings. */
  z.strictObject({ outcome: z.literal('refused'), summary: z.string().max(2_000) }),
  /**
   * The answer was lost (timeout, dropped connection): Jira may or may not have done it. Not a
   * failure: the dispatcher tries again, and the executor's marker lookup finds what was done.
   */
  z.strictObject({ outcome: z.literal('unknown'), summary: z.string().max(2_000) }),
  /** The agent is paused: try again once it is resumed. */
  z.strictObject({ outcome: z.literal('deferred'), summary: z.string().max(2_000) }),
]);
export type ExecuteOutcome = z.infer<typeof ExecuteOutcomeSchema>;
