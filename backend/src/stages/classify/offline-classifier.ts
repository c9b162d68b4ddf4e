import type { Category, Classification, SanitisedEmail } from '@pm-agent/shared';
import type { ClassifyCtx } from './context';
import { createTicket, jiraComment, milestoneChange, replyDraft } from './offline-actions';
import { features } from './offline-features';
import { learnedCategory } from './offline-learned';
import { AUTO_REPLY, CATEGORY_PRIORITY, COMMENT_VERB, MAX_COMMENTED_ISSUES, NEW_WORK, NO_REPLY_SENDER, PRIORITY_RULES, type Features } from './offline-rules';
import { MAX_PROPOSED_ACTIONS } from '../model/prompts';
import { screenClassification, type ScreenedClassification } from './screen-actions';
import { suspiciousKinds } from '../model/suspicious';

/**
 * The deterministic classifier, used when no model key is configured. Same input and output as
 * the Claude path, same screening at the end. Suspicious only from the sanitiser's signals; the
 * category from the learned table (offline-learned.ts, which reads the rule rows as evidence); the
 * priority and the actions from the rules in offline-rules.ts.
 */
type Action = Classification['actions'][number];
type Priority = Classification['priority'];

export function classifyOffline(email: SanitisedEmail, ctx: ClassifyCtx): Classification {
  return classifyOfflineScreened(email, ctx).classification;
}

/** With the screening report; `dropped` is empty unless a builder has a bug (the tests hold it to that). */
export function classifyOfflineScreened(email: SanitisedEmail, ctx: ClassifyCtx): ScreenedClassification {
  if (suspiciousKinds(email).length) {
    return { classification: { category: 'suspicious', priority: CATEGORY_PRIORITY.suspicious, actions: [] }, dropped: [] };
  }
  const f = features(email);
  const category = learnedCategory(email, f, ctx);
  const priority = priorityOf(category, f);
  const actions = proposals(email, ctx, category, f);
  return screenClassification({ category, priority, actions }, email, ctx);
}

/** The first priority row that applies to the category and matches; otherwise the category's own. */
export function priorityOf(category: Category, f: Features): Priority {
  return PRIORITY_RULES.find((r) => !r.not?.includes(category) && (!r.only || r.only.includes(category)) && r.pattern.test(f.text))?.priority ?? CATEGORY_PRIORITY[category];
}

/** An automatic reply, or a sender that reads no replies: nobody to answer. */
function automatic(email: SanitisedEmail, f: Features): boolean {
  return AUTO_REPLY.test(f.subject) || AUTO_REPLY.test(f.text) || NO_REPLY_SENDER.test(email.from.address);
}

/** At most three, in the order a PM would want them if only a few can go: the first issue's comment, the milestone, the reply, then the rest. */
function proposals(email: SanitisedEmail, ctx: ClassifyCtx, category: Category, f: Features): Action[] {
  const keys = [...new Set(email.facts.issueKeys)].slice(0, MAX_COMMENTED_ISSUES);
  const verb = COMMENT_VERB[category];
  const comments = verb ? keys.map((k) => jiraComment(email, k, verb)) : [];
  const out: Array<Action | null> = [
    comments[0] ?? null,
    category === 'deadline_change' ? milestoneChange(email) : null,
    f.hasAsks && email.signals.length === 0 && !automatic(email, f) ? replyDraft(email, ctx) : null,
    ...comments.slice(1),
    category === 'request' && !f.hasIssueKey && NEW_WORK.test(f.text) ? createTicket(email, ctx) : null,
  ];
  return out.filter((a): a is Action => a !== null).slice(0, MAX_PROPOSED_ACTIONS);
}
