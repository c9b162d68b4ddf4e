import { z } from 'zod';
import { ClassifyContextSchema, ClassifyReplySchema, ModelRequestSchema, SanitiseReplySchema, SanitiseRequestSchema } from '../contracts/stage-io';

/**
 * The triage state machine's contract (Step Functions, Express: sanitise → classify).
 * - The API starts it with `TriageMachineInput`.
 * - The Sanitise task gets that input and its reply lands at `$.sanitised`.
 * - The Classify task gets only `{sanitised, classify}` (never the raw email: the task's payload
 *   selects those two paths), and its reply lands at `$.classified`.
 */
export const TriageMachineInputSchema = z.strictObject({
  sanitise: SanitiseRequestSchema,
  classify: z.strictObject({ ctx: ClassifyContextSchema, model: ModelRequestSchema.nullable() }),
});
export type TriageMachineInput = z.infer<typeof TriageMachineInputSchema>;

export const ClassifyTaskInputSchema = z.strictObject({ sanitised: SanitiseReplySchema, classify: TriageMachineInputSchema.shape.classify });

/** Classify does not run when sanitise produced no facts: the pipeline stops there anyway. */
export const ClassifyTaskReplySchema = z.union([ClassifyReplySchema, z.strictObject({ skipped: z.literal(true), reason: z.string().max(200) })]);

export const TriageMachineOutputSchema = z.object({ sanitised: SanitiseReplySchema, classified: ClassifyTaskReplySchema });
export type TriageMachineOutput = z.infer<typeof TriageMachineOutputSchema>;
