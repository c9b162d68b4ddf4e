/**
 * What classify knows besides the email: which domains are "us", and where new tickets go.
 * Structurally the same as stage-io's ClassifyContext, with the project key optional here.
 */
export interface ClassifyCtx {
  internalDomains: readonly string[];
  /** Jira project for new tickets; 'ABC' when not given. */
  defaultProjectKey?: string;
}

export const DEFAULT_PROJECT_KEY = 'ABC';

export function projectKeyOf(ctx: ClassifyCtx): string {
  return ctx.defaultProjectKey ?? DEFAULT_PROJECT_KEY;
}
