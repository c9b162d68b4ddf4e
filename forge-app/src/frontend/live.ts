import type { Suggestion } from '@pm-agent/shared';
import { formatDuration } from './format';

/**
 * Live refresh for the Jira pages: poll every LIVE_REFRESH_MS while the page is open, doubling
 * the wait after each failed poll up to LIVE_MAX_BACKOFF_MS. One resolver call per poll, so an
 * open page costs 3600 / 10 = 360 resolver calls per hour (bench: "live refresh").
 */
export const LIVE_REFRESH_MS = 10_000;
export const LIVE_MAX_BACKOFF_MS = 120_000;

export function nextPollDelay(failuresInARow: number): number {
  return Math.min(LIVE_REFRESH_MS * 2 ** failuresInARow, LIVE_MAX_BACKOFF_MS);
}

const VERBS = { approved: 'approved', rejected: 'rejected', stopped: 'stopped', expired: 'expired', dismissed: 'dismissed', returned: 'sent back to the agent' } as const;

/**
 * What happened to a suggestion while someone was looking at an older copy, in words:
 * "rejected this 2 minutes ago: not needed". The actor is shown beside it (a Jira user by name).
 * Null when nothing a person would call a change happened. A page records its own decisions as
 * seen, so this names what someone else did, or the same person in another tab.
 */
export function changedUnderViewer(before: Suggestion, now: Suggestion, at: Date): string | null {
  if (now.version <= before.version) return null;
  const d = now.decision;
  if (d && before.decision?.at !== d.at) {
    const ago = `${formatDuration(Math.max(0, at.getTime() - Date.parse(d.at)))} ago`;
    return `${VERBS[d.kind]} this ${ago}${d.reason ? `: ${d.reason}` : ''}`;
  }
  if (now.payloadHash !== before.payloadHash) return 'The suggested action changed since you loaded it: read it again before deciding.';
  if (now.state !== before.state && now.result) return now.result.ok ? 'It has run since you loaded it.' : 'It was tried since you loaded it and did not run.';
  return null;
}
