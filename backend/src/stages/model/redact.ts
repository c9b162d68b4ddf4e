import { removeInvisible, truncate } from '@pm-agent/shared';

/**
 * Failure details end up in logs and in the "needs review" reason a person reads. They must never
 * carry the API key, and may carry only a short, single-line excerpt of anything the API or
 * the model said.
 */
export const DETAIL_MAX = 300;
export const EXCERPT_MAX = 60;

/** Anthropic key shapes, redacted even when they are not our key (a proxy could echo another). */
const KEY_LIKE = /sk-ant-[A-Za-z0-9_-]{8,}/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001F\u007F]+/g;

export function safeDetail(s: string, secrets: readonly string[], max = DETAIL_MAX): string {
  let out = s;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  out = removeInvisible(out).replace(KEY_LIKE, '[redacted]').replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return truncate(out, max);
}

/** A short quoted excerpt of untrusted text for a detail string. */
export function excerpt(s: string, max = EXCERPT_MAX): string {
  return JSON.stringify(truncate(removeInvisible(s).replace(/\s+/g, ' ').trim(), max));
}
