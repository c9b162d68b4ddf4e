import type { SanitisedEmail } from '@pm-agent/shared';
import { BULK_LINK, type Features } from './offline-rules';

/** What the offline rules and the learned model read from an email: its subject, its facts, its list links. */
export function features(email: SanitisedEmail): Features {
  const { summary, asks, dates, issueKeys } = email.facts;
  return {
    text: [email.subject, summary, ...asks].join('\n'),
    subject: email.subject,
    hasDate: dates.length > 0,
    hasIssueKey: issueKeys.length > 0,
    hasAsks: asks.length > 0,
    hasQuestion: /\?(\s|$)/.test(summary),
    bulk: email.links.some((l) => BULK_LINK.test(`${l.text} ${l.href}`)),
  };
}
