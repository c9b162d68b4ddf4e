import { ACTION_CATALOGUE, editableText, preview, type Suggestion } from '@pm-agent/shared';
import { formatDuration } from '../format';

/** The one line a collapsed inbox card shows: type, target, first line of its text, age. */
export function targetOf(s: Suggestion): string {
  if (s.issueKey) return s.issueKey;
  const p = s.payload as Record<string, unknown>;
  if (Array.isArray(p.to)) return `to ${p.to.join(', ')}`;
  for (const key of ['milestone', 'projectKey', 'recipient', 'artefact']) if (typeof p[key] === 'string') return String(p[key]);
  return 'no issue';
}

export function firstLineOf(s: Suggestion): string {
  const text = editableText(s.actionType, s.payload) ?? Object.values(s.payload).find((v): v is string => typeof v === 'string' && v !== s.issueKey) ?? '';
  return preview(text.split(/\r?\n/).find((l) => l.trim()) ?? '', 90);
}

export function ageOf(s: Suggestion, now: Date): string {
  return `${formatDuration(Math.max(0, now.getTime() - Date.parse(s.createdAt)))} ago`;
}

export function typeLabel(s: Suggestion): string {
  return ACTION_CATALOGUE[s.actionType].label;
}
