import { ACTION_CATALOGUE, type ActionType } from './actions';
import { AUTONOMY_LEVELS, type AutonomyLevel } from './autonomy';
import { boundaryRank, stricter, type Boundary } from './boundaries';
import { trustedForAuto, type PayloadTrust } from './origin';

/** What the effective boundary depends on: a subset of the installation's settings. */
export interface BoundaryPolicy {
  autonomyLevel: AutonomyLevel;
  /** Admin tightenings per action type. Never looser than the specification (enforced by the settings schema). */
  boundaryOverrides: Partial<Record<ActionType, Boundary>>;
}

/** What the payload's text is made of (see origin.ts): the origin and any sensitive data. */
export type TextTrust = Pick<PayloadTrust, 'origin' | 'sensitive'>;

/** For showing the boundary table itself: text the agent composed from validated facts, no sensitive data. */
export const AGENT_COMPOSED_TEXT: TextTrust = { origin: 'facts', sensitive: [] };

/**
 * Actions only a person carries out: the agent never sends mail. Approving one hands it to the
 * person (Outlook's reply form), so it always waits for them; holding it would only let it fail.
 */
export const PERSON_CARRIES_OUT: ReadonlySet<ActionType> = new Set<ActionType>(['email_stakeholder', 'email_external']);

/**
 * The one function that decides how an action may run:
 * the specification's boundary, tightened by any admin override, tightened again by the autonomy level,
 * and by the payload's text: text from outside (or a person's edit, or sensitive data) never runs
 * without a human decision, at any autonomy. Holding is not enough for it: a held item runs when
 * nobody looks. Never-do stays never whatever the settings say; what only a person carries out
 * (email) waits for them.
 */
export function effectiveBoundary(type: ActionType, policy: BoundaryPolicy, text: TextTrust): Boundary {
  const spec = ACTION_CATALOGUE[type].boundary;
  if (spec === 'never') return 'never';
  const configured = stricter(spec, policy.boundaryOverrides[type] ?? spec);
  const capped = stricter(configured, AUTONOMY_LEVELS[policy.autonomyLevel].loosest);
  return trustedForAuto(text) && !PERSON_CARRIES_OUT.has(type) ? capped : stricter(capped, 'approval');
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
