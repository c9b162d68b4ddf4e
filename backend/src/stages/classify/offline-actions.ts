import type { Classification, SanitisedEmail } from '@pm-agent/shared';
import { projectKeyOf, type ClassifyCtx } from './context';
import { MILESTONE_NAMES, NOT_A_NAME } from './offline-rules';
import { block, oneLine } from './payload-text';
import { dayOf, isInternalSender, organisationOf, senderName } from './sender';

/**
 * Builders for the offline classifier's proposals. Each payload is built to pass its catalogue
 * schema (lengths clamped, control characters stripped, never empty); screen-actions.ts checks
 * again. Text says in plain words who said what and when, so a person reading the Jira comment
 * knows it is a report of an email, not the PM's own statement.
 */
type Action = Classification['actions'][number];

/** Rationales are shown to people too, and some quote the sender: same scrubbing as payloads. */
const why = (s: string): string => oneLine(s, 2_000, 'Proposed from the email.');

/** "Dana Lee (Northwind) wrote on 23 Nov 2026" */
export function attribution(email: SanitisedEmail, verb: string): string {
  const org = organisationOf(email.from.address);
  const day = dayOf(email.receivedAt);
  return `${senderName(email.from)}${org ? ` (${org})` : ''} ${verb}${day ? ` on ${day}` : ''}`;
}

function reportBody(email: SanitisedEmail, verb: string): string {
  const { summary, asks, dates } = email.facts;
  const parts = [`${attribution(email, verb)}: ${summary}`];
  if (asks.length) parts.push(`Asks:\n${asks.map((a) => `- ${a}`).join('\n')}`);
  const datesSaid = dates.map((d) => (d.date ? `${d.text} (${d.date})` : d.text)).filter(Boolean);
  if (datesSaid.length) parts.push(`Dates mentioned: ${datesSaid.join('; ')}`);
  parts.push(`Email subject: "${email.subject || '(no subject)'}"`);
  return parts.join('\n\n');
}

export function jiraComment(email: SanitisedEmail, issueKey: string, verb: string): Action {
  return {
    actionType: 'jira_comment',
    payload: { issueKey, body: block(reportBody(email, verb), 32_000, `${attribution(email, verb)} about ${issueKey}.`) },
    rationale: why(`The email references ${issueKey}; a comment keeps the issue's history complete.`),
  };
}

export function milestoneName(text: string): string | null {
  for (const pattern of MILESTONE_NAMES) {
    const raw = pattern.exec(text)?.[1]?.replace(NOT_A_NAME, '').trim();
    if (raw && !/^(the|our|your|this|that|a|an|next|new)$/i.test(raw)) return raw;
  }
  return null;
}

/** Only for a named milestone with a stated ISO date; the dates are taken in the order the email gives them. */
export function milestoneChange(email: SanitisedEmail): Action | null {
  const name = milestoneName(`${email.facts.summary} ${email.subject}`);
  const iso = email.facts.dates.flatMap((d) => (d.date ? [d.date] : []));
  const proposed = iso[iso.length - 1];
  if (!name || !proposed) return null;
  const current = iso.length > 1 ? iso[0] : undefined;
  return {
    actionType: 'milestone_change',
    payload: {
      milestone: oneLine(name, 200, 'Milestone'),
      ...(current && current !== proposed ? { currentDate: current } : {}),
      proposedDate: proposed,
      reason: block(`${attribution(email, 'wrote')}: ${email.facts.summary}`, 2_000, 'The sender reported a date change.'),
    },
    rationale: why(`The email says the ${oneLine(name, 100, 'named')} milestone moves to ${proposed}.`),
  };
}

/** A reply draft to the sender acknowledging the asks: external mail needs approval, internal mail is held. */
export function replyDraft(email: SanitisedEmail, ctx: ClassifyCtx): Action {
  const internal = isInternalSender(email.from.address, ctx.internalDomains);
  const subject = email.subject.trim() || '(no subject)';
  const firstName = senderName(email.from).split(/\s+/)[0] ?? '';
  const body = [
    `Hello ${firstName},`.replace(/ ,$/, ','),
    'Thank you for your email. We have noted your requests:',
    email.facts.asks.map((a) => `- ${a}`).join('\n'),
    'We will come back to you on these shortly.',
    '—',
  ].join('\n\n');
  return {
    actionType: internal ? 'email_stakeholder' : 'email_external',
    payload: {
      to: [email.from.address],
      subject: oneLine(/^re:/i.test(subject) ? subject : `Re: ${subject}`, 255, 'Re: your email'),
      body: block(body, 30_000, 'Thank you for your email; we will come back to you shortly.\n\n—'),
    },
    rationale: why(`${senderName(email.from)} asked for ${email.facts.asks.length === 1 ? 'something' : `${email.facts.asks.length} things`}; a reply draft acknowledges the asks.`),
  };
}

export function createTicket(email: SanitisedEmail, ctx: ClassifyCtx): Action {
  const what = email.facts.asks[0] ?? email.subject;
  return {
    actionType: 'jira_create_ticket',
    payload: {
      projectKey: projectKeyOf(ctx),
      issueType: 'Task',
      summary: oneLine(what, 255, 'New work requested by email'),
      description: block(reportBody(email, 'asked'), 32_000, 'Requested by email.'),
    },
    rationale: why('The email asks for new work that no referenced issue covers.'),
  };
}
