import { EmailAddress, EmailInputSchema, describeIssues, type EmailInput } from '@pm-agent/shared';
import { mapItem } from './map-item';
import type { MessageReadLike, OfficeLike } from './surface';

/**
 * The open Outlook item as the EmailInput that POST /v1/triage takes. Attachments are metadata
 * only (name, type, size): the pane never reads attachment content. Everything is clamped to the
 * schema's limits (map-item.ts) and the result is checked against EmailInputSchema, so what leaves
 * the pane is exactly what the backend accepts.
 */
export type ReadOutcome =
  | { kind: 'email'; email: EmailInput; notes: string[] }
  | { kind: 'no-item' }
  | { kind: 'unreadable'; problem: string };

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

/** Pure mapping, exported for tests: the item's fields plus its HTML body, checked against the schema. */
export function emailFromItem(item: MessageReadLike, bodyHtml: string): ReadOutcome {
  const mapped = mapItem(item, bodyHtml, isEmailAddress);
  if (mapped.kind !== 'email') return mapped;
  const parsed = EmailInputSchema.safeParse(mapped.email);
  if (!parsed.success) {
    const why = describeIssues(parsed.error)
      .slice(0, 3)
      .map((i) => `${i.path} ${i.message}`)
      .join('; ');
    return { kind: 'unreadable', problem: `This email cannot be sent for triage as it is: ${why}.` };
  }
  return { kind: 'email', email: parsed.data, notes: mapped.notes };
}

/** The schema's own rule for an address. */
const isEmailAddress = (address: string): boolean => EmailAddress.safeParse(address).success;
