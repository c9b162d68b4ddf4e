import { OfficeMockObject } from './office-mock';
import type { EmailInput, Suggestion, Triage } from '@pm-agent/shared';
import type { OfficeLike } from '../../src/office/surface';

/** Test data in the shapes the backend really returns (checked by the shared schemas in the tests that need it). */
export const HASH = 'a'.repeat(64);

export function suggestion(actionType: Suggestion['actionType'], payload: Record<string, unknown>, extra: Partial<Suggestion> = {}): Suggestion {
  return {
    id: `sug_${actionType.replace(/_/g, '').padEnd(24, 'x').slice(0, 24)}`,
    actionType,
    payload,
    payloadHash: HASH,
    edited: false,
    issueKey: typeof payload.issueKey === 'string' ? payload.issueKey : null,
    rationale: 'Because the email says so.',
    provenance: { source: 'email', ref: '<m1@northwind.example>', title: 'Sandbox', excerpt: 'the sandbox slips' },
    boundary: 'approval',
    state: 'pending',
    createdBy: { principal: 'agent', id: 'pm-agent' },
    createdAt: '2026-11-18T09:00:00.000Z',
    updatedAt: '2026-11-18T09:00:00.000Z',
    expiresAt: null,
    runAt: null,
    decision: null,
    result: null,
    version: 1,
    ...extra,
  };
}

export function triage(extra: Partial<Triage> = {}): Triage {
  return {
    messageKey: `msg_${'0'.repeat(32)}`,
    internetMessageId: '<m1@northwind.example>',
    status: 'complete',
    statusReason: null,
    classifier: 'offline',
    model: null,
    category: 'deadline_change',
    priority: 'high',
    issueKeys: ['ABC-123'],
    summary: 'The sandbox slips to 4 December.',
    facts: null,
    signals: [],
    links: [],
    notices: [],
    suggestions: [
      suggestion('jira_comment', { issueKey: 'ABC-123', body: 'Dana wrote: the sandbox slips.' }),
      suggestion('email_external', { to: ['dana@northwind.example'], subject: 'Re: Sandbox', body: 'Hello Dana,\n\nThanks.' }),
    ],
    createdAt: '2026-11-18T09:00:00.000Z',
    ...extra,
  };
}

export const EMAIL: EmailInput = {
  internetMessageId: '<m1@northwind.example>',
  subject: 'ABC-123: sandbox slips',
  from: { name: 'Dana Whitfield', address: 'dana@northwind.example' },
  to: [{ name: 'Priya Raman', address: 'priya@example.com' }],
  cc: [],
  receivedAt: '2026-11-18T08:12:00.000Z',
  bodyHtml: '<p>The sandbox slips.</p>',
  attachments: [],
};

/** An Outlook message in read mode, as office-addin-mock data. */
export function outlookItem(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: 'ABC-123: sandbox slips',
    from: { displayName: 'Dana Whitfield', emailAddress: 'dana@northwind.example' },
    to: [{ displayName: 'Priya Raman', emailAddress: 'priya@example.com' }],
    cc: [],
    dateTimeCreated: new Date('2026-11-18T08:12:00Z'),
    internetMessageId: '<m1@northwind.example>',
    attachments: [{ id: 'AAMk1', name: 'plan.pdf', contentType: 'application/pdf', size: 20480, isInline: false, attachmentType: 'file' }],
    body: {
      getAsync(coercionType: unknown, callback: (r: unknown) => void) {
        callback(coercionType === 'html' ? { status: 'succeeded', value: '<p>The sandbox slips.</p>' } : { status: 'failed', value: '', error: { message: 'wrong coercion' } });
      },
    },
    displayReplyForm(html: string) {
      (this as { replies?: string[] }).replies = [...((this as { replies?: string[] }).replies ?? []), html];
    },
    ...over,
  };
}

export interface MockOffice {
  office: OfficeLike;
  mock: OfficeMockObject;
  /** What the pane registered for ItemChanged. */
  handlers: Array<() => void>;
}

/**
 * Office.js for Outlook through office-addin-mock. `item: null` cannot go through the mock's
 * constructor (it walks every value), so a null item is set afterwards, as Outlook sets it.
 */
export function mockOffice(item: Record<string, unknown> | null, opts: { mailbox15?: boolean; host?: string | null } = {}): MockOffice {
  const handlers: Array<() => void> = [];
  const mailbox: Record<string, unknown> = {
    userProfile: { displayName: 'Pat Morgan', emailAddress: 'pat.morgan@example.com' },
    addHandlerAsync(eventType: unknown, handler: () => void, callback?: (r: unknown) => void) {
      if (eventType === 'olkItemSelectedChanged') handlers.push(handler);
      callback?.({ status: 'succeeded', value: undefined });
    },
  };
  if (item) mailbox.item = item;
  const mock = new OfficeMockObject({
    host: 'outlook',
    context: { mailbox, requirements: { isSetSupported: (name: string, v?: string) => name === 'Mailbox' && (opts.mailbox15 ?? true ? true : (v ?? '1.0') < '1.5') } },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    CoercionType: { Html: 'html', Text: 'text' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    onReady: () => Promise.resolve({ host: opts.host === undefined ? 'Outlook' : opts.host, platform: opts.host === null ? null : 'OfficeOnline' }),
  });
  if (!item) mock.context.mailbox.item = null;
  return { office: mock as unknown as OfficeLike, mock, handlers };
}
