/**
 * LOCAL STAND-IN FOR OFFICE.JS. This is not Microsoft's Office.js and never runs in Outlook: the
 * local host serves it at /outlook/office-stand-in.js in place of
 * https://appsforoffice.microsoft.com/lib/1/hosted/office.js, so the real pane bundle can run
 * against the local stack. It implements exactly the surface the pane uses (OfficeLike in
 * outlook-addin/src/office/surface.ts), nothing more:
 *
 * - Office.onReady(): resolves with host "Outlook" (or host null with ?outside=1, as outside Office);
 * - Office.context.mailbox.item: the email named by ?item=<id> (in the page as a data block, or
 *   fetched from the local host), or null;
 *   body.getAsync('html'), attachments as metadata, displayReplyForm (recorded and shown in the host
 *   page, never sent);
 * - Office.context.mailbox.userProfile: the local user (an approver in the seeded store);
 * - addHandlerAsync(ItemChanged): the host page's email list switches items through postMessage,
 *   and the stand-in fires ItemChanged like a pinned pane (item null for "no email selected");
 * - Office.context.requirements.isSetSupported('Mailbox', v): true up to 1.5.
 */
import type { EmailInput } from '@pm-agent/shared';
import type { AsyncResultLike, MessageReadLike, OfficeLike } from '@pm-agent/outlook-addin/office/surface';
import { STAND_IN_ITEM_ID } from './pages';

declare const __STAND_IN_PROFILE__: { displayName: string; emailAddress: string };

const ITEM_CHANGED = 'olkItemSelectedChanged';
const STATUS = { Succeeded: 'succeeded', Failed: 'failed' } as const;
const MAILBOX_VERSION = [1, 5];

export interface StandInRecord {
  /** Every displayReplyForm call's HTML, in order. */
  replyForms: string[];
  /** How many times ItemChanged fired. */
  itemChanges: number;
}

const record: StandInRecord = { replyForms: [], itemChanges: 0 };
const params = new URLSearchParams(location.search);
const handlers: Array<(event?: unknown) => void> = [];
let current: MessageReadLike | null = null;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Outlook hands add-ins HTML even for plain-text mail; so does the stand-in. */
function bodyHtml(email: EmailInput): string {
  if (email.bodyHtml !== undefined) return email.bodyHtml;
  return `<html><body><div>${escapeHtml(email.bodyText ?? '').replace(/\r?\n/g, '<br>')}</div></body></html>`;
}

function toItem(email: EmailInput): MessageReadLike {
  const address = (r: { name?: string | undefined; address: string }) => ({ displayName: r.name ?? r.address, emailAddress: r.address });
  const html = bodyHtml(email);
  return {
    subject: email.subject,
    from: address(email.from),
    to: email.to.map(address),
    cc: email.cc.map(address),
    dateTimeCreated: new Date(email.receivedAt),
    internetMessageId: email.internetMessageId,
    attachments: email.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size, isInline: false })),
    body: {
      getAsync(coercionType: unknown, ...rest: unknown[]) {
        const callback = rest.find((r): r is (result: AsyncResultLike<string>) => void => typeof r === 'function');
        const ok = coercionType === 'html';
        setTimeout(() => callback?.({ status: ok ? STATUS.Succeeded : STATUS.Failed, value: ok ? html : '', error: ok ? null : { message: 'the stand-in only gives HTML' } }), 0);
      },
    },
    displayReplyForm(formData: string | { htmlBody?: string }) {
      const html = typeof formData === 'string' ? formData : (formData.htmlBody ?? '');
      record.replyForms.push(html);
      parent.postMessage({ source: 'pm-agent-stand-in', type: 'reply-form', html }, location.origin);
    },
  };
}

async function load(id: string | null): Promise<MessageReadLike | null> {
  if (!id || id === 'none') return null;
  const res = await fetch(`emails/${encodeURIComponent(id)}`, { credentials: 'same-origin' });
  return res.ok ? toItem((await res.json()) as EmailInput) : null;
}

/** The page's own email (pages.ts puts it in a data block, as Outlook hands Office.js the item); else fetched. */
function pageItem(): MessageReadLike | null | undefined {
  const block = document.getElementById(STAND_IN_ITEM_ID);
  if (!block?.textContent) return undefined;
  try {
    return toItem(JSON.parse(block.textContent) as EmailInput);
  } catch {
    return undefined;
  }
}

const inPage = pageItem();
const initial = inPage !== undefined ? Promise.resolve(inPage) : load(params.get('item'));
let selection = 0;

/** The host page picked another email. A pinned pane hears ItemChanged; an unpinned one is reopened for the new item, as Outlook does. */
async function select(id: string | null): Promise<void> {
  const mine = ++selection;
  const item = await load(id);
  if (mine !== selection) return; // a later click won
  if (!handlers.length) {
    location.replace(`?item=${encodeURIComponent(id ?? 'none')}`);
    return;
  }
  current = item;
  record.itemChanges++;
  for (const handler of handlers) handler({ type: ITEM_CHANGED });
}

function supports(name: string, minVersion = '1.1'): boolean {
  if (name !== 'Mailbox') return false;
  const [major = 0, minor = 0] = minVersion.split('.').map(Number);
  return major < MAILBOX_VERSION[0]! || (major === MAILBOX_VERSION[0] && minor <= MAILBOX_VERSION[1]!);
}

const office: OfficeLike = {
  async onReady() {
    current = await initial.catch(() => null);
    return params.get('outside') === '1' ? { host: null, platform: null } : { host: 'Outlook', platform: 'OfficeOnline' };
  },
  context: {
    mailbox: {
      get item() {
        return current;
      },
      userProfile: __STAND_IN_PROFILE__,
      addHandlerAsync(eventType, handler, callback) {
        const ok = eventType === ITEM_CHANGED;
        if (ok) handlers.push(handler);
        setTimeout(() => callback?.({ status: ok ? STATUS.Succeeded : STATUS.Failed, value: undefined, error: ok ? null : { message: 'the stand-in only raises ItemChanged' } }), 0);
      },
    },
    requirements: { isSetSupported: supports },
  },
  EventType: { ItemChanged: ITEM_CHANGED },
  CoercionType: { Html: 'html' },
  AsyncResultStatus: STATUS,
};

addEventListener('message', (event: MessageEvent<unknown>) => {
  if (event.origin !== location.origin || event.source !== parent) return;
  const data = event.data as { source?: unknown; type?: unknown; id?: unknown } | null;
  if (data?.source !== 'pm-agent-host' || data.type !== 'select') return;
  if (data.id !== null && typeof data.id !== 'string') return;
  void select(data.id);
});

Object.assign(globalThis, { Office: office, __officeStandIn: { record, select } });
