import { ACTION_CATALOGUE, type ActionType } from './actions';
import { AUTONOMY_LEVELS, type AutonomyLevel } from './autonomy';
import { boundaryRank, stricter, type Boundary } from './boundaries';

/** What the effective boundary depends on: a subset of the installation's settings. */
export interface BoundaryPolicy {
  autonomyLevel: AutonomyLevel;
  /** Admin tightenings per action type. Never looser than the specification (enforced by the settings schema). */
  boundaryOverrides: Partial<Record<ActionType, Boundary>>;
}

/**
 * Actions only a person carries out: the agent never sends mail. Approving one hands it to the
 * person (Outlook's reply form), so it always waits for them; holding it would only let it fail.
 */
export const PERSON_CARRIES_OUT: ReadonlySet<ActionType> = new Set<ActionType>(['email_stakeholder', 'email_external']);

/**
 * The one function that decides how an action may run:
 * the specification's boundary, tightened by any admin override, tightened again by the autonomy level.
 * Never-do stays never whatever the settings say; what only a person carries out waits for them.
 */
export function effectiveBoundary(type: ActionType, policy: BoundaryPolicy): Boundary {
  const spec = ACTION_CATALOGUE[type].boundary;
  if (spec === 'never') return 'never';
  const configured = stricter(spec, policy.boundaryOverrides[type] ?? spec);
  const capped = stricter(configured, AUTONOMY_LEVELS[policy.autonomyLevel].loosest);
  return PERSON_CARRIES_OUT.has(type) ? stricter(capped, 'approval') : capped;
}

/** Why an override is not allowed, or undefined when it is. */
export function overrideProblem(type: ActionType, override: Boundary): string | undefined {
  const spec = ACTION_CATALOGUE[type].boundary;
  if (spec === 'never' && override !== 'never') return `${type} is a never-do action and cannot be unlocked`;
  if (boundaryRank(override) < boundaryRank(spec)) {
    return `${type} cannot be loosened from "${spec}" to "${override}"; overrides may only tighten the specification`;
  }
  return undefined;
}
