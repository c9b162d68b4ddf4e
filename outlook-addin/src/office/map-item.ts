import { TRIAGE_LIMITS, truncate, type EmailInput } from '@pm-agent/shared';
import type { AttachmentLike, EmailAddressLike, MessageReadLike } from './surface';

/**
 * The open Outlook item mapped to the EmailInput shape, clamped to triage's limits, with notes on
 * what was left out. No schema library here: the pane's first render (opening.ts) draws the email
 * from this before the schemas have loaded; read-item.ts then checks the same mapping against
 * EmailInputSchema before anything is shown for good or sent.
 */
export type MappedItem = { kind: 'email'; email: EmailInput; notes: string[] } | { kind: 'unreadable'; problem: string };

/** Which strings count as an email address: read-item.ts passes the schema's own rule. */
export type AddressRule = (address: string) => boolean;

const LIMITS = { subject: 2_000, name: 300, attachmentName: 500, contentType: 200 } as const;

export function mapItem(item: MessageReadLike, bodyHtml: string, isAddress: AddressRule): MappedItem {
  const notes: string[] = [];
  const internetMessageId = (item.internetMessageId ?? '').trim();
  if (internetMessageId.length < 3) {
    return { kind: 'unreadable', problem: 'This item has no Internet message ID (drafts and some shared items have none), so the agent cannot triage it.' };
  }
  const from = recipient(item.from, isAddress);
  if (!from) {
    const shown = item.from?.emailAddress ? `"${truncate(item.from.emailAddress, 80)}"` : 'missing';
    return { kind: 'unreadable', problem: `The sender's address is ${shown}, not an email address, so the agent cannot triage this item.` };
  }
  const to = recipients(item.to, 'To', notes, isAddress);
  const cc = recipients(item.cc, 'Cc', notes, isAddress);
  const received = item.dateTimeCreated instanceof Date && !Number.isNaN(item.dateTimeCreated.getTime()) ? item.dateTimeCreated : undefined;
  if (!received) return { kind: 'unreadable', problem: 'Outlook gave no time for this email, so the agent cannot triage it.' };

  let body = bodyHtml;
  if (body.length > TRIAGE_LIMITS.bodyChars) {
    body = truncate(body, TRIAGE_LIMITS.bodyChars);
    notes.push(`The body was cut to ${TRIAGE_LIMITS.bodyChars.toLocaleString('en-GB')} characters before sending.`);
  }
  const all = (item.attachments ?? []).map(attachment);
  if (all.length > TRIAGE_LIMITS.attachments) notes.push(`Only the first ${TRIAGE_LIMITS.attachments} of ${all.length} attachments were described.`);

  const email: EmailInput = {
    internetMessageId: truncate(internetMessageId, 998, ''),
    subject: truncate(item.subject ?? '', LIMITS.subject),
    from,
    to,
    cc,
    receivedAt: received.toISOString(),
    bodyHtml: body,
    attachments: all.slice(0, TRIAGE_LIMITS.attachments),
  };
  return { kind: 'email', email, notes };
}

function recipient(r: EmailAddressLike | null | undefined, isAddress: AddressRule): EmailInput['from'] | undefined {
  const address = (r?.emailAddress ?? '').trim();
  if (!isAddress(address)) return undefined;
  const name = (r?.displayName ?? '').trim();
  return name ? { name: truncate(name, LIMITS.name), address } : { address };
}

/** Recipients Outlook shows without an email address (e.g. Exchange-internal X.500 names) are left out, and said so. */
function recipients(list: EmailAddressLike[] | null | undefined, field: string, notes: string[], isAddress: AddressRule): EmailInput['to'] {
  const all = list ?? [];
  const kept = all.flatMap((r) => {
    const ok = recipient(r, isAddress);
    return ok ? [ok] : [];
  });
  const dropped = all.length - kept.length;
  if (dropped) notes.push(`${dropped} ${field} recipient${dropped === 1 ? ' has' : 's have'} no email address and ${dropped === 1 ? 'was' : 'were'} left out.`);
  if (kept.length > TRIAGE_LIMITS.recipients) notes.push(`Only the first ${TRIAGE_LIMITS.recipients} ${field} recipients were sent.`);
  return kept.slice(0, TRIAGE_LIMITS.recipients);
}

function attachment(a: AttachmentLike): EmailInput['attachments'][number] {
  const size = Number.isFinite(a.size) && a.size >= 0 ? Math.floor(a.size) : 0;
  return { name: truncate(a.name ?? '', LIMITS.attachmentName), contentType: truncate(a.contentType || 'application/octet-stream', LIMITS.contentType), size };
}
