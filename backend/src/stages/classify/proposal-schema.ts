import { z } from 'zod';
import { ACTION_CATALOGUE, CategorySchema, PrioritySchema } from '@pm-agent/shared';
import { toolInputSchema, type ToolInputSchema } from '../model/json-schema';
import { MAX_PROPOSED_ACTIONS, PROPOSABLE_ACTIONS } from '../model/prompts';

/**
 * What the classifier model is shown: one variant per proposable action type with that type's
 * exact catalogue payload, so the model sees the real field names and limits. Never-do types are
 * not offered at all. The answer is checked against the shared ClassificationSchema instead, so a
 * proposal that strays (never-do, bad payload) is dropped and reported on its own rather than
 * voiding the whole triage; see screen-actions.ts.
 */
const variants = PROPOSABLE_ACTIONS.map((t) =>
  z.strictObject({
    actionType: z.literal(t),
    payload: ACTION_CATALOGUE[t].payload,
    rationale: z.string().min(1).max(500).describe('One plain sentence: why the PM would want this.'),
  }),
);

export const ProposalSchema = z.strictObject({
  category: CategorySchema,
  priority: PrioritySchema,
  actions: z.array(z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])).max(MAX_PROPOSED_ACTIONS),
});

export const PROPOSAL_INPUT_SCHEMA: ToolInputSchema = toolInputSchema(ProposalSchema);
