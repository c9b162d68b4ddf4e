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
  /** The summary asks a question ("do you know who owns the export job?"): a request, though not an ask a reply should quote. */
  hasQuestion: boolean;
  /** A link to unsubscribe or manage mail preferences: mail sent to a list. */
  bulk: boolean;
}

/** Link text or address of a list mail's unsubscribe or preferences page. */
export const BULK_LINK = /unsubscribe|opt-?out|\/prefs\b|preferences|email-settings|manage[ -]?(your[ -])?subscription/i;

/** Month and weekday names, and numeric dates: what "rather than …" must be followed by to be a moved date. */
const DAY = String.raw`(?:\d{1,2}(?:\s*[-–]\s*\d{1,2})?(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+\d{1,2}|(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|(?:(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+)?(?:january|february|march|april|june|july|august|september|october|november|december|q[1-4])|the\s+\d{1,2}(?:st|nd|rd|th))`;

/**
 * Words that say a date moves. "move" as a verb only: "the move to the new platform" is not a date moving.
 * A date set against another ("now due 18 December instead of 11 December", "(previously 14 December)") moves too.
 */
export const DATE_MOVE = new RegExp(
  [
    String.raw`(?<!\b(?:the|a|this|our|its|their|your|centre|center|office)\s)\bmov(e|es|ed|ing)\s+(?:it\s+|them\s+|this\s+|that\s+)?(to|from|back|forward|out|up|by|into|ahead)\b`,
    String.raw`\b(been|was|were|is|are|has|have|had) mov(ed|ing)\b`,
    String.raw`\b(delay(s|ed|ing)?|postpon(e|es|ed|ing)|slip(s|ped|ping)?|reschedul(e|es|ed|ing)|push(es|ed)? (back|out)|pushed to|brought forward|bring(ing)? forward|pulled in|(?<!(?:not|n't|never)\s+(?:be\s+)?)extend(s|ed)?|extension\s+(of|to|until|till|for|granted|approved|agreed|requested)|(an|short|one-week|two-week)\s+extension|(earlier|later|sooner) than (planned|expected|agreed|scheduled|originally|announced|we (told|said|agreed|planned))|(days?|weeks?|months?) (earlier|later)|earliest (we|they|i|you) can (do|make|deliver|start)|push(es|ed)? (the|your|our|their) (\w+ ){0,3}(timeline|schedule|date|deadline|plan))\b`,
    String.raw`\b(can'?t|cannot|won'?t|unable to) make (it (on|by) )?(the\s+)?${DAY}\b`,
    String.raw`\b(new|revised|updated|changed) (due |target |go-live |launch |delivery |start |end |sign-?off |release )?(date|deadline|timeline)\b`,
    String.raw`\bnow (due|planned|scheduled|expected|set)\b`,
    String.raw`\b(instead of|rather than|previously|originally|was due|no longer|not|it was)\s+(on\s+|by\s+|the\s+)?${DAY}\b`,
    String.raw`\b(chang(e|es|ed|ing)|mov(e|es|ed|ing)|shift(s|ed)?) the (\w+ ){0,3}(date|deadline|window|timeline)\b|\bshorten(s|ed|ing)?\b|\b(ahead of|behind) (the )?(agreed|planned|original|scheduled) (date|schedule|plan)\b`,
  ].join('|'),
  'i',
);

/** Mail a machine sends on someone's behalf when they are away: for information, whatever it says about urgency, and never answered (RFC 3834). */
export const AUTO_REPLY = /^(automatic reply|auto(matic)?[- ]?reply|undeliverable|delivery status notification|mail delivery (failed|system)|returned mail|read:|out of (the )?office|abwesenheit|absence|away|on leave)\b|\b(i am|i'm|i will be) (currently )?(out of (the )?office|away|absent|on (annual |parental )?leave|travell?ing)\b.{0,80}\b(until|till|returning|back on)\b/i;

/** Subjects and phrases of meeting logistics: invitations and their answers, rooms, notes of a call. */
const MEETING =
  /\b(meetings?|invit(e|ation)|agenda|calendar (update|invite|entry|hold)|workshop|stand-?up|retro(spective)?|call (at|on) |steering (committee|group)|design review|all-hands|town ?hall|cancell?ed|1:1|one-to-one|1-on-1|catch-?up|(quarterly|business|sprint|project|weekly|monthly) review|room (change|booking)|sprint planning|(meeting|call) (notes|minutes)|notes (from|of) (today'?s |the |our )?(call|meeting|sync|session)|minutes (of|from)|(call|sync) with|appointment|lunch (&|and) learn|brown bag|kick-?off|demo day|training session|running (\w+ )?(min(ute)?s? )?late|start without me|availability|find(ing)? a (time|slot|date)|time slots?|(in|to|into) your calendar|(weekly|daily|monthly|regular|our|next) (call|sync)(?! for)|demo (on|at|with)|(product|customer|sprint) demo)\b/i;
/** A clock time in the subject ("Budget review - Wed 16 Dec 14:00"): something happens at that time. */
const CLOCK = /\b(\d{1,2}:\d{2}|\d{1,2}\s?(am|pm))\b/i;
/** The logistics of joining a call: a dial-in, a passcode, a time range, "see you there". */
const CALL_LOGISTICS = /\b(passcode|meeting id|dial-?in|join (the )?(call|meeting|session)|see you (there|then|tomorrow)|\d{1,2}[:.]\d{2}\s*(-|–|to)\s*\d{1,2}[:.]\d{2})\b/i;
/** A time of day offered in place of another: "can we do 3pm instead of 2?" */
const TIME_SWAP = /\b\d{1,2}(:\d{2})?\s?(am|pm)\b.{0,20}\b(instead|rather)\b|\b(instead of|rather than|move (it )?to|push (it )?to)\s+\d{1,2}(:\d{2}\s?(am|pm)?|\s?(am|pm))\b/i;
const BULK = /\b(newsletter|edition|unsubscribe|webinar|call for papers|digest|what'?s new|survey|rate your|how did we do|feedback on your)\b/i;
/** Subjects of notices that inform and ask nothing: advisories, changelogs, release notes. */
const NOTICE_SUBJECT = /\b(advisory|changelog|release notes)\b/i;
/** Notices about the reader's own purchases and accounts: receipts, shipping, renewals. */
const TRANSACTIONAL = /\b(your (order|receipt|subscription|(\w+ )?plan|parcel|package|delivery)|receipt (from|for|#)|has (been )?(shipped|dispatched)|out for delivery|track your|renews (automatically|on)|(was|has been) approved|payment (received|confirmation)|recording (is )?(now )?available|recording of|booking (confirmation|confirmed|reference)|your (booking|reservation|ticket) (is|has been) confirmed|(request|report|claim|application)\b.{0,40}\b(approved|rejected|granted|received))\b/i;
const PROBLEM =
  /\b(bugs?|defects?|crash(es|ed)?|broken|errors?|fail(s|ed|ing|ure)?|outage|incident|regression|not working|doesn'?t work|drops?|typo|problems?|issue with|glitch|escalation|(is|are|went|goes) down|unreachable|not loading|white screen|blank (page|screen)|duplicat(e|es|ed|ing)|acting (weird|up|strange)|wrong|incorrect|inaccurate|look(s)? off|discrepanc(y|ies)|slow(ness)?|hang(s|ing)?|freezes|freezing|time(s|d)? out|timeouts?|flaky|complain(t|ts|ing|ed)?|angry|confusing|hard to (use|read|find)|awkward|clunky|fiddly|unusable|stuck|endless|stale|out of date|outdated|(being|are|is|get|getting) (declined|rejected|refused|blocked|lost|dropped)|losing (orders|customers|money|data|sales)|findings|found (\d+|several|some|a few|two|three|four|five) (\w+ )?(issues|problems|bugs|defects|errors)|blank|empty (rows|cells|fields|page|screen)|(don'?t|doesn'?t|do not|does not) (add up|match|show|open)|(no|none of the) (users?|one|customers?)\b.{0,40}\bcan|(nobody|no one)\b.{0,40}\bcan|(\d+|a dozen|dozens of|lots of|many|several) (\w+ )?(tickets|complaints|calls)|vulnerabilit(y|ies)|exposed|data leak|breach|(can'?t|cannot|unable to|not able to|won'?t|doesn'?t|isn'?t) (log ?in|sign ?in|load|access|connect|upload|download|save|open|reach|start|send|be reached))\b/i;
/** A monitoring alert's subject tag. */
const ALERT = /^\[(firing|alert|warning|critical|down|problem|error|failed|failure)\b/i;
/** A monitoring tool's all-clear tag. */
const ALL_CLEAR = /^\[(ok|resolved|recovered|cleared)\]/i;
/** A problem told after the fact: the report of it is news, not a call to act. */
const AFTERWARDS = /\b(resolved|mitigated|restored|recovered|back to normal|working (normally|again)|all[- ]clear|post-?incident|post-?mortem|incident review|root cause analysis|rca)\b/i;
/** Words that say work is done: the email reports progress. */
const DONE =
  /\b(resolved|fixed|completed|complete(?! (it|this|the|your|by|before)\b)|shipped|released|delivered|closed|passed|deployed|is live|went live|rolled out|launched|finished|merged|achieved|reached|signed off|all (checks|tests) (are )?green|(?<!(to be|get it|get this|be|been) )done)\b/i;
/** Words that name a report without saying what it reports: a date moving in its text outranks them. */
const REPORT = /\b(summary|status|progress|updates?|on track|check-in|confirm(ed|ing)|highlights|round-?up|recap|wrap-?up|go\/no-go|just to confirm|on schedule)\b/i;
const FYI =
  /\b(fyi|for your information|no action (is )?(needed|required)|(you )?(do not|don'?t) need to do anything|nothing (is )?needed from you|please welcome|welcome|please find attached|office (is )?closed|policy (has been )?updated|planned maintenance|no action required|no need to (reply|respond|do anything)|(will be |is |are )?closed (on|from|over|between|for) |(opening|support|holiday) hours)\b/i;
/** News about people and the organisation: announcements, welcomes, farewells. */
const ANNOUNCE = /\b(announce(s|d|ment)?|congratulat\w+|delighted to|pleased to (share|say|tell|welcome)|please welcome|farewell)\b/i;
const ASKING = /\b(please (?!welcome|find attached|note|ignore this|join (me|us) in)|could (you|someone|we)|can (you|someone|we)|would (you|someone)|we need (your|you)|need your|when you have a minute|requests?|requesting|need (you|us) to|kindly|assigned (\S+ ){0,2}to you|needs? to (fill|send|return|submit|complete|provide|review|approve|sign)|(awaiting|waiting for|pending) your (approval|review|decision|reply|signature)|would love (your|to hear)|your take on)\b/i;
/** A sentence that starts with a verb of doing: "Send me two slides", "Bring the forecast". */
const IMPERATIVE = /(^|[.!?:]\s+|\n)(please\s+)?(send|bring|fill (in|out)|return|submit|complete|review|approve|sign|check|add|update|share|confirm|forward|book|prepare|reply|mark|include|make sure|remember)\b/i;
/** Subjects that are themselves an ask: a review or sign-off requested, an action needed, a reminder to do something. */
const ASKING_SUBJECT =
  /^((re|fwd?):\s*)*(action (needed|required)|request(ed)?|please|need (someone|somebody|help|a volunteer|your)|(can|could|would|will) (you|we|someone|somebody|i) (get|have|create|raise|open|add|send|share|book|set up)\b)\b|\breminder\b.{0,80}\b(by|due|before|overdue)\b|\b(review requested|requested your review|needs? your (review|approval|sign-?off)|please (review|approve|confirm|sign|complete)|(approval|sign-?off) (needed|required|requested|for)|request for|(query|question)s? (on|about|re|regarding)|assigned (\S+ ){0,2}to you|(awaiting|waiting for|pending) your (approval|review|decision|reply|signature)|^(\w+ )?(approval|sign-?off)\s*:)\b/i;
/** The subject line calendar software writes for an invitation and its answers. */
const CALENDAR = /^((re|fwd?):\s*)*(invitation|updated invitation|invitation updated|new event|event (updated|changed|cancell?ed)|accepted|declined|tentative(ly accepted)?|cancell?ed( event| meeting)?)\s*:/i;

/**
 * A row of the category table. `id` names it for the learned model, which reads the matching rows
 * as evidence. `decides`: the row matches a format machines write (an automatic reply, a calendar
 * answer, a monitor's all-clear, list mail's unsubscribe link), so when it is the first match its
 * category stands without the learned model.
 */
export interface CategoryRule {
  id: string;
  category: LearnedCategory;
  when: (f: Features) => boolean;
  decides?: true;
}

/**
 * In the rules' order: the first matching row is their answer (`ruleCategory`, and the learned
 * model's `rule:` token). The subject decides first (a "meeting moved" subject is about a
 * meeting, a newsletter that mentions a date is still a newsletter); then the body's words.
 */
export const CATEGORY_RULES: ReadonlyArray<CategoryRule> = [
  { id: 'auto-reply', category: 'fyi', when: (f) => AUTO_REPLY.test(f.subject) || AUTO_REPLY.test(f.text), decides: true },
  { id: 'bulk-words', category: 'fyi', when: (f) => BULK.test(f.subject) || BULK.test(f.text) },
  { id: 'fyi-subject', category: 'fyi', when: (f) => FYI.test(f.subject) || TRANSACTIONAL.test(f.subject) || NOTICE_SUBJECT.test(f.subject) },
  { id: 'calendar-subject', category: 'meeting', when: (f) => CALENDAR.test(f.subject), decides: true },
  { id: 'asking-subject', category: 'request', when: (f) => ASKING_SUBJECT.test(f.subject) },
  { id: 'meeting-subject', category: 'meeting', when: (f) => MEETING.test(f.subject) },
  { id: 'all-clear', category: 'status_update', when: (f) => ALL_CLEAR.test(f.subject), decides: true },
  { id: 'afterwards-subject', category: 'status_update', when: (f) => AFTERWARDS.test(f.subject) && !ALERT.test(f.subject) },
  { id: 'bulk-link', category: 'fyi', when: (f) => f.bulk && !ALERT.test(f.subject) && !PROBLEM.test(f.subject), decides: true },
  { id: 'done-subject', category: 'status_update', when: (f) => DONE.test(f.subject) && !PROBLEM.test(f.subject) },
  { id: 'problem-subject', category: 'issue_report', when: (f) => ALERT.test(f.subject) || PROBLEM.test(f.subject) },
  { id: 'question-subject', category: 'request', when: (f) => /\?\s*$/.test(f.subject) },
  { id: 'bulk-link-any', category: 'fyi', when: (f) => f.bulk },
  { id: 'clock-subject', category: 'meeting', when: (f) => CLOCK.test(f.subject) },
  { id: 'date-move', category: 'deadline_change', when: (f) => f.hasDate && DATE_MOVE.test(f.text) },
  { id: 'announce', category: 'fyi', when: (f) => ANNOUNCE.test(f.subject) || ANNOUNCE.test(f.text) },
  { id: 'report-subject', category: 'status_update', when: (f) => REPORT.test(f.subject) },
  { id: 'fyi-text', category: 'fyi', when: (f) => FYI.test(f.text) && !ASKING.test(f.text) && !PROBLEM.test(f.text) },
  { id: 'call-logistics', category: 'meeting', when: (f) => TIME_SWAP.test(f.text) || CALL_LOGISTICS.test(f.text) },
  { id: 'problem-text', category: 'issue_report', when: (f) => PROBLEM.test(f.text) && !/\bno (blocking )?(defects|errors|bugs|problems|issues)\b/i.test(f.text) },
  { id: 'meeting-text', category: 'meeting', when: (f) => MEETING.test(f.text) },
  { id: 'asking-text', category: 'request', when: (f) => f.hasAsks || f.hasQuestion || ASKING.test(f.text) || IMPERATIVE.test(f.text) },
  { id: 'done-text', category: 'status_update', when: (f) => DONE.test(f.text) || REPORT.test(f.text) },
];
/** Senders that read no replies: no reply draft goes to them. */
export const NO_REPLY_SENDER = /^(no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?)([-+.][^@]*)?@/i;

export const FALLBACK_CATEGORY: Category = 'fyi';

/** The rules' own answer (first matching row): what the offline classifier was before the learned table, kept as the baseline it is measured against. */
export function ruleCategory(f: Features): Category {
  return CATEGORY_RULES.find((r) => r.when(f))?.category ?? FALLBACK_CATEGORY;
}

/** The labels the learned model may give: every category but `suspicious`, which only the sanitiser's signals make. */
export type LearnedCategory = Exclude<Category, 'suspicious'>;
export const LEARNED_CATEGORIES: readonly LearnedCategory[] = ['deadline_change', 'request', 'status_update', 'issue_report', 'meeting', 'fyi'];

/**
 * Checked in order; "not urgent" must be seen before "urgent". `not` lists categories a row does
 * not apply to, `only` the categories it is limited to.
 */
export const PRIORITY_RULES: ReadonlyArray<{ priority: Priority; pattern: RegExp; not?: readonly Category[]; only?: readonly Category[] }> = [
  { priority: 'low', pattern: /\b(not urgent|nothing urgent|no rush|whenever you (can|have time)|low priority|no action (is )?(needed|required)|minor|not a blocker|cosmetic)\b/i },
  { priority: 'low', pattern: /\b(cancell?ed|declined|called off|skip|running (\w+ )?(min(ute)?s? )?late)\b|^accepted\b|\bhas accepted\b/im, only: ['meeting'] },
  {
    priority: 'urgent',
    pattern:
      /\b(urgent(ly)?|asap|immediately|critical|(?<!no )blocker|(?<!no )blocking|outage|emergency|sev ?1|p1|right (away|now)|firing|(is|are|went) down|unreachable|(every|all|none of (our|their|the)) (customers?|users?)|no (orders|customers|users|one) can|for everyone|every minute|losing (orders|customers|money|sales)|vulnerabilit(y|ies)|data leak|breach|(production|work|operations) (is |are |has |have )?(stopped|halted|down)|standstill)\b/i,
    not: ['fyi', 'status_update'],
  },
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
