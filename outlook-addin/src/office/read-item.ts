import { EmailAddress, EmailInputSchema, TRIAGE_LIMITS, describeIssues, truncate, type EmailInput } from '@pm-agent/shared';
import type { AttachmentLike, EmailAddressLike, MessageReadLike, OfficeLike } from './surface';

/**
 * The open Outlook item as the EmailInput that POST /v1/triage takes. Attachments are metadata
 * only (name, type, size): the pane never reads attachment content. Everything is clamped to the
 * schema's limits and the result is checked against EmailInputSchema, so what leaves the pane is
 * exactly what the backend accepts.
 */
export type ReadOutcome =
  | { kind: 'email'; email: EmailInput; notes: string[] }
  | { kind: 'no-item' }
  | { kind: 'unreadable'; problem: string };

const LIMITS = { subject: 2_000, name: 300, attachmentName: 500, contentType: 200 } as const;

export async function readCurrentEmail(office: OfficeLike): Promise<ReadOutcome> {
  const item = office.context.mailbox.item;
  if (!item) return { kind: 'no-item' };
  let bodyHtml: string;
  try {
    bodyHtml = await bodyAsHtml(office, item);
  } catch (e) {
    return { kind: 'unreadable', problem: (e as Error).message };
  }
  return emailFromItem(item, bodyHtml);
}

/** body.getAsync('html') as a promise; Office reports failures in the result, not by throwing. */
export function bodyAsHtml(office: OfficeLike, item: MessageReadLike): Promise<string> {
  return new Promise((resolve, reject) => {
    try {
      item.body.getAsync(office.CoercionType.Html, (result) => {
        if (result.status === office.AsyncResultStatus.Succeeded && typeof result.value === 'string') resolve(result.value);
        else reject(new Error(`Outlook could not give the pane this email's body${result.error?.message ? ` (${result.error.message})` : ''}. Select the email again, then try once more.`));
      });
    } catch (e) {
      reject(new Error(`Outlook could not give the pane this email's body (${(e as Error).message}).`));
    }
  });
}

/** Pure mapping, exported for tests: the item's fields plus its HTML body. */
export function emailFromItem(item: MessageReadLike, bodyHtml: string): ReadOutcome {
  const notes: string[] = [];
  const internetMessageId = (item.internetMessageId ?? '').trim();
  if (internetMessageId.length < 3) {
    return { kind: 'unreadable', problem: 'This item has no Internet message ID (drafts and some shared items have none), so the agent cannot triage it.' };
  }
  const from = recipient(item.from);
  if (!from) {
    const shown = item.from?.emailAddress ? `"${truncate(item.from.emailAddress, 80)}"` : 'missing';
    return { kind: 'unreadable', problem: `The sender's address is ${shown}, not an email address, so the agent cannot triage this item.` };
  }
  const to = recipients(item.to, 'To', notes);
  const cc = recipients(item.cc, 'Cc', notes);
  const received = item.dateTimeCreated instanceof Date && !Number.isNaN(item.dateTimeCreated.getTime()) ? item.dateTimeCreated : undefined;
  if (!received) return { kind: 'unreadable', problem: 'Outlook gave no time for this email, so the agent cannot triage it.' };

  let body = bodyHtml;
  if (body.length > TRIAGE_LIMITS.bodyChars) {
    body = truncate(body, TRIAGE_LIMITS.bodyChars);
    notes.push(`The body was cut to ${TRIAGE_LIMITS.bodyChars.toLocaleString('en-GB')} characters before sending.`);
  }
  const all = (item.attachments ?? []).map(attachment);
  if (all.length > TRIAGE_LIMITS.attachments) notes.push(`Only the first ${TRIAGE_LIMITS.attachments} of ${all.length} attachments were described.`);

  const candidate = {
    internetMessageId: truncate(internetMessageId, 998, ''),
    subject: truncate(item.subject ?? '', LIMITS.subject),
    from,
    to,
    cc,
    receivedAt: received.toISOString(),
    bodyHtml: body,
    attachments: all.slice(0, TRIAGE_LIMITS.attachments),
  };
  const parsed = EmailInputSchema.safeParse(candidate);
  if (!parsed.success) {
    const why = describeIssues(parsed.error)
      .slice(0, 3)
      .map((i) => `${i.path} ${i.message}`)
      .join('; ');
    return { kind: 'unreadable', problem: `This email cannot be sent for triage as it is: ${why}.` };
  }
  return { kind: 'email', email: parsed.data, notes };
}

function recipient(r: EmailAddressLike | null | undefined): EmailInput['from'] | undefined {
  const address = (r?.emailAddress ?? '').trim();
  if (!EmailAddress.safeParse(address).success) return undefined;
  const name = (r?.displayName ?? '').trim();
  return name ? { name: truncate(name, LIMITS.name), address } : { address };
}

/** Recipients Outlook shows without an email address (e.g. Exchange-internal X.500 names) are left out, and said so. */
function recipients(list: EmailAddressLike[] | null | undefined, field: string, notes: string[]): EmailInput['to'] {
  const all = list ?? [];
  const kept = all.flatMap((r) => {
    const ok = recipient(r);
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
