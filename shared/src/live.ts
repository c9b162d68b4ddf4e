import type { Suggestion } from './schemas';

/**
 * Live refresh for every surface (Jira inbox and issue panel, Outlook pane): poll every
 * LIVE_REFRESH_MS while the page is open and visible, doubling the wait after each failed poll up
 * to LIVE_MAX_BACKOFF_MS. One call per poll, so an open page costs 3600 / 10 = 360 calls an hour
 * (bench: "live refresh"); a hidden page costs none.
 */
export const LIVE_REFRESH_MS = 10_000;
export const LIVE_MAX_BACKOFF_MS = 120_000;

/** The wait before the next poll after `failuresInARow` failed ones. */
export function nextPollDelay(failuresInARow: number, intervalMs = LIVE_REFRESH_MS): number {
  return Math.min(intervalMs * 2 ** Math.max(0, failuresInARow), Math.max(intervalMs, LIVE_MAX_BACKOFF_MS));
}

/** Calls an hour for one open page polling every `intervalMs` with no failures. */
export const pollsPerHour = (intervalMs = LIVE_REFRESH_MS): number => Math.round(3_600_000 / intervalMs);

/** The part of `document` polling needs; absent where the platform has none. */
export interface VisibilityLike {
  readonly visibilityState?: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * Calls `tick` every interval (backing off while it resolves false or throws). While the page is
 * hidden nothing is called; when it shows again one poll runs at once. `stop` ends it for good.
 */
export function startPolling(opts: { intervalMs?: number; tick: () => Promise<boolean>; visibility?: VisibilityLike | undefined }): { stop(): void } {
  const { tick, visibility } = opts;
  const interval = opts.intervalMs ?? LIVE_REFRESH_MS;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running = false;
  const hidden = () => visibility?.visibilityState === 'hidden';
  const schedule = () => {
    clearTimeout(timer);
    if (stopped) return;
    timer = setTimeout(() => void run(), nextPollDelay(failures, interval));
    // In Node (tests, the bench) a poll alone must not keep the process running; browsers have no unref.
    (timer as { unref?: () => void }).unref?.();
  };
  const run = async () => {
    if (stopped || running) return;
    if (hidden()) return; // resumes on visibilitychange
    running = true;
    const ok = await tick().catch(() => false);
    running = false;
    failures = ok ? 0 : failures + 1;
    schedule();
  };
  const onVisibility = () => {
    if (!hidden()) void run();
  };
  visibility?.addEventListener('visibilitychange', onVisibility);
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      visibility?.removeEventListener('visibilitychange', onVisibility);
    },
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "less than a minute", "29 minutes", "2 hours 5 minutes", "3 days 4 hours". */
export function formatDuration(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  if (ms < HOUR) return plural(Math.round(ms / MINUTE), 'minute');
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.round((ms % HOUR) / MINUTE);
    return m ? `${plural(h, 'hour')} ${plural(m, 'minute')}` : plural(h, 'hour');
  }
  const d = Math.floor(ms / DAY);
  const h = Math.round((ms % DAY) / HOUR);
  return h ? `${plural(d, 'day')} ${plural(h, 'hour')}` : plural(d, 'day');
}

const VERBS = { approved: 'approved', rejected: 'rejected', stopped: 'stopped', expired: 'expired', dismissed: 'dismissed', returned: 'sent back to the agent', superseded: 'replaced by a fresh triage of its email' } as const;

/**
 * What happened to a suggestion while someone was looking at an older copy, in words:
 * "rejected this 2 minutes ago: not needed". The actor is shown beside it (decidedBy, or a Jira
 * user by name). Null when nothing a person would call a change happened. A page records its own
 * decisions as seen, so this names what someone else did, or the same person in another tab.
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

/** Who decided, as a name for text ("Pat Morgan"); surfaces that can show a Jira user do that instead. */
export function decidedBy(s: Suggestion): string {
  const by = s.decision?.by;
  if (!by) return 'Someone';
  return by.name ?? (by.principal === 'forge' ? 'A Jira user' : by.principal === 'system' ? 'The agent' : 'Someone');
}

/**
 * Compares a poll's answer with what the page shows: `different` when anything was added, removed
 * or has a new version (so an unchanged answer redraws nothing), and words for each suggestion
 * that changed under the viewer. `items` is the answer with any copy older than one already seen
 * (a poll that crossed the viewer's own decision) replaced by the newer one. Records it in `seen`.
 */
export function liveChanges(seen: Map<string, Suggestion>, shown: readonly string[], incoming: readonly Suggestion[], at: Date): { different: boolean; notes: Record<string, string>; items: Suggestion[] } {
  let different = shown.length !== incoming.length || incoming.some((s, i) => shown[i] !== s.id);
  const notes: Record<string, string> = {};
  const items = incoming.map((s) => {
    const before = seen.get(s.id);
    if (before && before.version >= s.version) return before;
    different = true;
    const note = before ? changedUnderViewer(before, s, at) : null;
    if (note) notes[s.id] = note;
    seen.set(s.id, s);
    return s;
  });
  return { different, notes, items };
}
