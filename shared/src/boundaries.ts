/**
 * Decision boundaries: how much freedom an action type has, from freest to most restricted.
 * The order matters: "stricter" means a higher rank.
 */
export const BOUNDARIES = ['auto', 'hold', 'approval', 'never'] as const;
export type Boundary = (typeof BOUNDARIES)[number];

export const BOUNDARY_INFO: Record<Boundary, { label: string; explains: string }> = {
  auto: { label: 'Runs automatically', explains: 'Runs as soon as the agent proposes it.' },
  hold: { label: 'Hold queue', explains: 'Runs after the hold delay unless someone stops it.' },
  approval: { label: 'Needs approval', explains: 'Runs only after an approver approves this exact payload.' },
  never: { label: 'Never', explains: 'The agent may never do this. It cannot be unlocked.' },
};

export function boundaryRank(b: Boundary): number {
  return BOUNDARIES.indexOf(b);
}

/** The stricter of two boundaries. */
export function stricter(a: Boundary, b: Boundary): Boundary {
  return boundaryRank(a) >= boundaryRank(b) ? a : b;
}
