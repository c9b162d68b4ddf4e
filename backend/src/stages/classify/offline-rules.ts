import type { Category } from '@pm-agent/shared';

/**
 * The offline classifier's rules, as tables. Patterns run over the subject, the summary and the
 * asks together. First matching row wins, so rows go from the most specific to the most general.
 */
type Priority = 'urgent' | 'high' | 'normal' | 'low';

export interface Features {
  /** Subject, summary and asks, joined. */
  text: string;
  /** The subject alone: what the sender says the email is about weighs most. */
  subject: string;
  hasDate: boolean;
  hasIssueKey: boolean;
  hasAsks: boolean;
}

/** Words that say a date moves. */
export const DATE_MOVE =
  /\b(mov(e|es|ed|ing)|delay(s|ed|ing)?|postpon(e|es|ed|ing)|slip(s|ped|ping)?|reschedul(e|es|ed|ing)|push(es|ed)? (back|out)|pushed to|brought forward|pulled in|new (due |target |go-live |launch )?date|later than planned)\b/i;

const MEETING = /\b(meetings?|invit(e|ation)|agenda|calendar|workshop|stand-?up|retro(spective)?|call (at|on) |steering committee|design review|all-hands|cancelled)\b/i;
const BULK = /\b(newsletter|edition|unsubscribe|webinar|call for papers|digest|what'?s new)\b/i;
const PROBLEM = /\b(bugs?|defects?|crash(es|ed)?|broken|errors?|fail(s|ed|ing|ure)?|outage|incident|regression|not working|doesn'?t work|drops?|typo)\b/i;
const DONE = /\b(resolved|fixed|complete[d]?|shipped|released|delivered|summary|status|progress|update|on track|check-in|confirm(ed|ing)|closed)\b/i;
const FYI = /\b(fyi|for your information|no action (is )?(needed|required)|please welcome|welcome|please find attached|office (is )?closed|policy (has been )?updated)\b/i;
const ASKING = /\b(please (?!welcome|find attached|note)|could (you|someone|we)|can (you|someone|we)|would (you|someone)|we need (your|you)|need your|when you have a minute|requests?|requesting|need (you|us) to)\b/i;

/**
 * First matching row wins. The subject decides first (a "meeting moved" subject is about a
 * meeting, a newsletter that mentions a date is still a newsletter); then the body's words.
 */
export const CATEGORY_RULES: ReadonlyArray<{ category: Category; when: (f: Features) => boolean }> = [
  { category: 'fyi', when: (f) => BULK.test(f.subject) || BULK.test(f.text) },
  { category: 'fyi', when: (f) => FYI.test(f.subject) },
  { category: 'meeting', when: (f) => MEETING.test(f.subject) },
  { category: 'request', when: (f) => /\?\s*$/.test(f.subject) && (f.hasAsks || ASKING.test(f.text)) },
  { category: 'status_update', when: (f) => DONE.test(f.subject) && !PROBLEM.test(f.subject.replace(/\bresolved:?.*/i, '')) },
  { category: 'issue_report', when: (f) => PROBLEM.test(f.subject) },
  { category: 'deadline_change', when: (f) => f.hasDate && DATE_MOVE.test(f.text) },
  { category: 'fyi', when: (f) => FYI.test(f.text) && !ASKING.test(f.text) },
  { category: 'issue_report', when: (f) => PROBLEM.test(f.text) && !/\bno (blocking )?(defects|errors|bugs)\b/i.test(f.text) },
  { category: 'meeting', when: (f) => MEETING.test(f.text) },
  { category: 'request', when: (f) => f.hasAsks || ASKING.test(f.text) },
  { category: 'status_update', when: (f) => DONE.test(f.text) },
];
export const FALLBACK_CATEGORY: Category = 'fyi';

/** Checked in order; "not urgent" must be seen before "urgent". `not` lists categories a row does not apply to. */
export const PRIORITY_RULES: ReadonlyArray<{ priority: Priority; pattern: RegExp; not?: readonly Category[] }> = [
  { priority: 'low', pattern: /\b(not urgent|nothing urgent|no rush|whenever you (can|have time)|low priority|no action (is )?(needed|required))\b/i },
  { priority: 'urgent', pattern: /\b(urgent(ly)?|asap|immediately|critical|(?<!no )blocker|(?<!no )blocking|outage|emergency|sev ?1|p1|right away)\b/i, not: ['fyi', 'status_update'] },
  { priority: 'high', pattern: /\b(important|soon|by (tomorrow|end of (the )?day|eod|cob)|deadline|high priority|escalat\w*|this week|overdue|before (monday|tuesday|wednesday|thursday|friday)('s)?)\b/i, not: ['fyi', 'status_update', 'meeting'] },
];

/** When no urgency word is present. Suspicious mail is always `high`, whatever it says about urgency. */
export const CATEGORY_PRIORITY: Readonly<Record<Category, Priority>> = {
  suspicious: 'high',
  deadline_change: 'high',
  issue_report: 'high',
  request: 'normal',
  meeting: 'normal',
  status_update: 'low',
  fyi: 'low',
};

/** Categories whose referenced issues get a comment, and the verb the comment uses. */
export const COMMENT_VERB: Partial<Readonly<Record<Category, string>>> = {
  deadline_change: 'wrote',
  issue_report: 'reported',
  request: 'asked',
  status_update: 'wrote',
};
export const MAX_COMMENTED_ISSUES = 2;

/** A request for new work (with no issue key) becomes a ticket. */
export const NEW_WORK = /\b(new|add|build|create|implement|set up|introduce|develop|feature|integrat\w+|support for)\b/i;

/** "the Beta milestone", "milestone M2": a named milestone, for milestone_change. */
export const MILESTONE_NAMES: readonly RegExp[] = [
  /\b([A-Z][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,3})\s+milestone\b/,
  /\bmilestone\s+["“']?([A-Z0-9][\w.-]*(?:\s+[A-Z0-9][\w.-]*){0,3})/,
];
export const NOT_A_NAME = /^(the|our|your|this|that|a|an|next|new)\s+/i;
