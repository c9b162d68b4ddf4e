import { truncate, type CleanEmail, type EmailInput, type Facts, type SanitisedEmail } from '@pm-agent/shared';
import { CLEAN_LIMITS, prepareEmail } from './clean-email';
import { detectSignals, mergeSignals } from './signals';

/**
 * Sanitise, the first isolated triage stage: untrusted email in, clean text + signals out, then
 * (after fact extraction) the hand-over to classify, which carries facts and never the raw text.
 * Pure and synchronous: no files, network or environment, so it runs under Node's permission model.
 */

/** cleanEmail plus every detector: the deterministic part of sanitise. */
export function sanitiseDeterministic(email: EmailInput): CleanEmail {
  const { clean, hidden } = prepareEmail(email);
  const detected = detectSignals({
    subject: clean.subject,
    text: clean.text,
    hidden,
    links: clean.links,
    attachments: clean.attachments,
    sender: clean.from.address,
    recipients: [...clean.to, ...clean.cc].map((r) => r.address),
  });
  return { ...clean, signals: mergeSignals(clean.signals, detected) };
}

/**
 * What classify receives. Recipients are counted, not listed; `counts` gives the real totals
 * when the caller still has them, otherwise they are read back from the cap notice.
 */
export function toSanitisedEmail(clean: CleanEmail, facts: Facts, counts?: { to: number; cc: number }): SanitisedEmail {
  return {
    subject: truncate(clean.subject, CLEAN_LIMITS.subjectChars),
    from: clean.from,
    toCount: counts?.to ?? recipientCount(clean, 'To'),
    ccCount: counts?.cc ?? recipientCount(clean, 'Cc'),
    receivedAt: clean.receivedAt,
    facts,
    links: clean.links,
    attachments: clean.attachments,
    signals: clean.signals,
    notices: clean.notices,
  };
}

/** The list length, or the total stated in the "N recipients in To; first 50 kept." notice. */
export function recipientCount(clean: CleanEmail, field: 'To' | 'Cc'): number {
  const kept = field === 'To' ? clean.to.length : clean.cc.length;
  for (const n of clean.notices) {
    const m = new RegExp(`^([\\d,]+) recipients in ${field};`).exec(n);
    if (m?.[1]) return Math.max(kept, Number(m[1].replace(/,/g, '')));
  }
  return kept;
}

export * from './clean-email';
export * from './css';
export * from './dates';
export * from './encoded';
export * from './excerpt';
export * from './html-to-text';
export * from './invisible';
export * from './links';
export * from './offline-facts';
export * from './patterns';
export * from './plain-text';
export * from './sentences';
export * from './signals';
