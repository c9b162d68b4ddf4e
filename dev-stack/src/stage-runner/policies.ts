import { STAGE_ENTRIES } from '@pm-agent/backend/stages';

/**
 * What each stage process is given: its entry point, the ONLY environment variables it receives
 * (its own secret among them), and whether it runs under Node's permission model. As on AWS, where
 * each stage is its own function with its own role: triage stages hold the model key and nothing
 * else; only execute holds the Jira credentials.
 */
export const STAGE_POLICIES = {
  sanitise: { entry: STAGE_ENTRIES.sanitise, env: ['ANTHROPIC_API_KEY'], restrictFs: true, network: 'model-only' },
  /** The same stage in its own process for big emails, so small ones never queue behind them (a lane, not a new role). */
  sanitise_large: { entry: STAGE_ENTRIES.sanitise, env: ['ANTHROPIC_API_KEY'], restrictFs: true, network: 'model-only' },
  classify: { entry: STAGE_ENTRIES.classify, env: ['ANTHROPIC_API_KEY'], restrictFs: true, network: 'model-only' },
  execute: { entry: STAGE_ENTRIES.execute, env: ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN'], restrictFs: true, network: 'open' },
} as const satisfies Record<string, StagePolicy>;

export interface StagePolicy {
  entry: string;
  env: readonly string[];
  /** Run with file reads limited to the stage's own bundle, and no child processes. */
  restrictFs: boolean;
  /**
   * `model-only`: no network of its own (stages/host/egress-lockdown.ts, and an empty network namespace where
   * available); its fetch reaches the model API's origin only, through the runner (egress-relay.ts).
   * `open`: the execute stage, which must reach Jira (on AWS its own function and role).
   */
  network: 'model-only' | 'open';
}

export type StageName = keyof typeof STAGE_POLICIES;
export const STAGE_NAMES = Object.keys(STAGE_POLICIES) as StageName[];

/** Picks exactly the variables a policy allows from the secrets handed to the runner. */
export function stageEnv(policy: StagePolicy, secrets: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of policy.env) {
    const value = secrets[name];
    if (value) env[name] = value;
  }
  return env;
}
