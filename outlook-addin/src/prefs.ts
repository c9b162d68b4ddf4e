/**
 * The one thing the pane keeps in the browser: whether to triage automatically when an email opens
 * (useful with a pinned pane). Never credentials, never email content.
 */
export const AUTO_TRIAGE_KEY = 'pm-agent.outlook.autoTriage';

export type PrefStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function readAutoTriage(storage: PrefStorage | undefined): boolean {
  try {
    return storage?.getItem(AUTO_TRIAGE_KEY) === 'on';
  } catch {
    return false; // storage can be disabled by policy; the default is off
  }
}

export function writeAutoTriage(storage: PrefStorage | undefined, on: boolean): void {
  try {
    storage?.setItem(AUTO_TRIAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered across sessions; the toggle still works for this one.
  }
}
