import type { Category } from '@pm-agent/shared';

/**
 * The offline classifier's rules, as tables. Patterns run over the subject, the summary and the
 * asks together. First matching row wins, so rows go from the most specific to the most general.
 */
type Priority = 'urgent' | 'high' | 'normal' | 'low';

export interface Features {
  /** Subject, summary and asks, joined. */
  text: string;
  hasDate: boolean;
  hasIssueKey: boolean;
  hasAsks: boolean;
}

/** Words that say a date moves. */
export const DATE_MOVE =
  /\b(mov(e|es|ed|ing)|delay(s|ed|ing)?|postpon(e|es|ed|ing)|slip(s|ped|ping)?|reschedul(e|es|ed|ing)|push(es|ed)? (back|out)|pushed to|brought forward|pulled in|new (due |target |go-live |launch )?date|later than planned)\b/i;

export const CATEGORY_RULES: ReadonlyArray<{ category: Category; when: (f: Features) => boolean }> = [
  { category: 'deadline_change', when: (f) => f.hasDate && DATE_MOVE.test(f.text) },
  { category: 'issue_report', when: (f) => /\b(bugs?|defects?|crash(es|ed)?|broken|errors?|fail(s|ed|ing|ure)?|outage|incident|regression|not working|doesn'?t work)\b/i.test(f.text) },
  { category: 'meeting', when: (f) => /\b(meeting|invite|invitation|agenda|calendar|workshop|stand-?up|call (at|on) )\b/i.test(f.text) },
  { category: 'request', when: (f) => f.hasAsks || /\b(please|could you|can you|would you|requests?|requesting|need (you|us) to)\b/i.test(f.text) },
  { category: 'status_update', when: (f) => /\b(status|progress|update|completed?|done|on track|shipped|released|finished|delivered)\b/i.test(f.text) },
];
export const FALLBACK_CATEGORY: Category = 'fyi';

/** Checked in order; "not urgent" must be seen before "urgent". */
export const PRIORITY_RULES: ReadonlyArray<{ priority: Priority; pattern: RegExp }> = [
  { priority: 'low', pattern: /\b(not urgent|no rush|whenever you (can|have time)|low priority|no action (is )?(needed|required))\b/i },
  { priority: 'urgent', pattern: /\b(urgent(ly)?|asap|immediately|critical|blocker|blocking|outage|emergency|sev ?1|p1|right away|today)\b/i },
  { priority: 'high', pattern: /\b(important|soon|by (tomorrow|end of (the )?day|eod|cob)|deadline|high priority|escalat\w*|this week)\b/i },
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
