import type { Boundary } from './boundaries';

/**
 * Autonomy levels lower what may run by itself. Each level names the loosest boundary it allows;
 * an action's effective boundary is never looser than that. The lowest level is the default for a
 * new installation, and only a human on the admin page can change it.
 */
export const AUTONOMY_LEVELS = {
  manual: {
    rank: 0,
    loosest: 'approval',
    label: 'Manual',
    explains: 'Every action needs an approver. Nothing runs by itself.',
  },
  assisted: {
    rank: 1,
    loosest: 'hold',
    label: 'Assisted',
    explains: 'Low-risk actions wait in the hold queue and run unless stopped; the rest need approval.',
  },
  delegated: {
    rank: 2,
    loosest: 'auto',
    label: 'Delegated',
    explains: "The agent specification's boundaries apply as written.",
  },
} as const satisfies Record<string, { rank: number; loosest: Boundary; label: string; explains: string }>;

export type AutonomyLevel = keyof typeof AUTONOMY_LEVELS;
export const AUTONOMY_LEVEL_NAMES = Object.keys(AUTONOMY_LEVELS) as [AutonomyLevel, ...AutonomyLevel[]];
export const DEFAULT_AUTONOMY_LEVEL: AutonomyLevel = 'manual';
