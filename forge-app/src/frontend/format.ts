/** Times as people read them. Pure functions, so the pages render the same everywhere. */

export { formatDuration } from '@pm-agent/shared';

/** "2026-11-23 14:05 UTC": unambiguous for every reader, whatever their locale. */
export function formatWhen(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
