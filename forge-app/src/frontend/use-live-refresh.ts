import { useEffect, useRef } from 'react';
import { LIVE_REFRESH_MS, startPolling } from '@pm-agent/shared';

/**
 * The poll interval: LIVE_REFRESH_MS, unless the page that hosts the app asks for a shorter one
 * (the local host does, for browser tests, with data-pm-live-refresh-ms; Jira never sets it).
 */
export function liveRefreshMs(): number {
  const asked = Number((globalThis as { document?: Document }).document?.body?.dataset.pmLiveRefreshMs);
  return Number.isFinite(asked) && asked >= 100 ? asked : LIVE_REFRESH_MS;
}

/**
 * Polls `tick` while `enabled` (shared startPolling: backoff on failure, nothing while the page
 * is hidden). `tick` resolves false when the poll failed. The latest `tick` is always the one called.
 */
export function useLiveRefresh(tick: () => Promise<boolean>, enabled: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!enabled) return undefined;
    const poll = startPolling({ intervalMs: liveRefreshMs(), tick: () => latest.current(), visibility: (globalThis as { document?: Document }).document });
    return () => poll.stop();
  }, [enabled]);
}
