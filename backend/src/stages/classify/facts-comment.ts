import { composeFromFacts, type Category, type Classification, type SanitisedEmail } from '@pm-agent/shared';
import { domainOf } from './sender';

/**
 * The comment that needs no human: composed from validated facts only (sender domain, date
 * received, issue key, ISO dates) through a shared fact template, with no sentence from the email.
 * Both classifiers end here (screen-actions.ts): a comment on an issue whose date moves becomes
 * this one, and the email's own words stay in the suggestion's provenance for the approver.
 */
type Action = Classification['actions'][number];

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The move the email states, as "from A to B" (or "A → B") over two of its dated mentions, read
 * from the summary and asks. Null when the email does not say it in that shape: no guessing.
 */
export function statedMove(email: SanitisedEmail): { fromDate: string; toDate: string } | null {
  const said = [email.facts.summary, ...email.facts.asks, email.subject].join('\n');
  const dated = email.facts.dates.filter((d): d is { text: string; date: string } => Boolean(d.date && d.text.trim()));
  for (const a of dated) {
    for (const b of dated) {
      if (a === b || a.date === b.date) continue;
      const move = new RegExp(`\\bfrom\\s+${escape(a.text)}[^.\\n]{0,12}?\\s+(?:to|until|till|→|->)\\s+${escape(b.text)}`, 'i');
      if (move.test(said)) return { fromDate: a.date, toDate: b.date };
    }
  }
  return null;
}

/** The facts-only comment for `issueKey`, or null when the facts do not allow one. */
export function factsComment(email: SanitisedEmail, category: Category, issueKey: string): Action | null {
  if (category !== 'deadline_change' || !email.facts.issueKeys.includes(issueKey)) return null;
  const move = statedMove(email);
  const receivedOn = new Date(email.receivedAt);
  if (!move || Number.isNaN(receivedOn.getTime())) return null;
  const facts = { senderDomain: domainOf(email.from.address), receivedOn: receivedOn.toISOString().slice(0, 10), issueKey, ...move };
  const body = composeFromFacts('date_moves', facts);
  if (!body) return null;
  return {
    actionType: 'jira_comment',
    payload: { issueKey, body },
    rationale: `The email says the date for ${issueKey} moves; this comment records that from the dates alone, quoting nothing from the email.`,
    textOrigin: { body: { origin: 'facts', template: 'date_moves', facts } },
  };
}
