import { DEFAULT_AUTONOMY_LEVEL } from './autonomy';
import type { Settings } from './schemas';

/** A new installation: every action needs approval, nobody may approve until an admin says who, not paused. */
export const DEFAULT_SETTINGS: Settings = {
  autonomyLevel: DEFAULT_AUTONOMY_LEVEL,
  boundaryOverrides: {},
  approvers: [],
  holdDelayMinutes: 30,
  paused: false,
};
