import * as z from 'zod';

/**
 * Written with the API full zod and zod/mini share (`.check(z.maxLength(…))`, `z.optional(…)`), as is
 * every schema in shared/: the server compiles them against zod, the Outlook pane's build against
 * zod/mini (outlook-addin/build.ts, checked by outlook-addin/tsconfig.mini.json). One definition each.
 *
 * Text schemas for anything that will be shown to a person or sent to Jira/mail. Control
 * characters other than tab and newline are refused: they hide content and break renderers.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function text(max: number, min = 1) {
  return z.string().check(
    z.minLength(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((s: string) => !FORBIDDEN_CONTROLS.test(s), 'must not contain control characters'),
  );
}

/** One line of text: no newlines. */
export function line(max: number) {
  return text(max).check(z.refine((s: string) => !/[\r\n]/.test(s), 'must be a single line'));
}

export const IssueKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]{0,9}-[1-9][0-9]{0,8}$/, 'must be a Jira issue key such as ABC-123'));

export const ProjectKey = z.string().check(z.regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'must be a Jira project key such as ABC'));

export const EmailAddress = z.email('must be an email address').check(z.maxLength(254));
