import { EmailInputSchema, TRIAGE_LIMITS } from '@pm-agent/shared';
import { emailFromItem, readCurrentEmail } from '../src/office/read-item';
import type { MessageReadLike } from '../src/office/surface';
import { mockOffice, outlookItem } from './support/fixtures';

describe('reading the open item (Office.js through office-addin-mock)', () => {
  test('maps subject, sender, recipients, received time, HTML body, attachment metadata and message id to EmailInput', async () => {
    const { office } = mockOffice(outlookItem({ cc: [{ displayName: 'Sam Keller', emailAddress: 'sam@example.com' }] }));
    const read = await readCurrentEmail(office);
    expect(read).toEqual({
      kind: 'email',
      notes: [],
      email: {
        internetMessageId: '<m1@northwind.example>',
        subject: 'ABC-123: sandbox slips',
        from: { name: 'Dana Whitfield', address: 'dana@northwind.example' },
        to: [{ name: 'Priya Raman', address: 'priya@example.com' }],
        cc: [{ name: 'Sam Keller', address: 'sam@example.com' }],
        receivedAt: '2026-11-18T08:12:00.000Z',
        bodyHtml: '<p>The sandbox slips.</p>',
        // Metadata only: Outlook's attachment id (which could fetch the content) is not passed on.
        attachments: [{ name: 'plan.pdf', contentType: 'application/pdf', size: 20480 }],
      },
    });
    if (read.kind === 'email') expect(EmailInputSchema.safeParse(read.email).success).toBe(true);
  });

  test('a null item (pinned pane, nothing selected) is "no item", not an error', async () => {
    const { office } = mockOffice(null);
    expect(office.context.mailbox.item).toBeNull();
    await expect(readCurrentEmail(office)).resolves.toEqual({ kind: 'no-item' });
  });

  test('a body Outlook cannot give is reported in words', async () => {
    const failing = outlookItem({
      body: { getAsync: (_c: unknown, cb: (r: unknown) => void) => cb({ status: 'failed', value: '', error: { message: 'The item was moved.' } }) },
    });
    const read = await readCurrentEmail(mockOffice(failing).office);
    expect(read).toEqual({ kind: 'unreadable', problem: expect.stringContaining("Outlook could not give the pane this email's body (The item was moved.)") });
  });

  test('recipients without an email address (Exchange X.500 names) are left out and said so; a sender without one cannot be triaged', async () => {
    const x500 = { displayName: 'Ops', emailAddress: '/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ops' };
    const read = await readCurrentEmail(mockOffice(outlookItem({ to: [x500, { displayName: 'Priya', emailAddress: 'priya@example.com' }] })).office);
    expect(read.kind === 'email' && read.email.to).toEqual([{ name: 'Priya', address: 'priya@example.com' }]);
    expect(read.kind === 'email' && read.notes).toEqual(['1 To recipient has no email address and was left out.']);

    const noSender = await readCurrentEmail(mockOffice(outlookItem({ from: x500 })).office);
    expect(noSender).toEqual({ kind: 'unreadable', problem: expect.stringContaining('not an email address') });
  });

  test('an item without an Internet message id cannot be keyed, so it is not sent', () => {
    const item = outlookItem({ internetMessageId: '' }) as unknown as MessageReadLike;
    expect(emailFromItem(item, '<p>x</p>')).toEqual({ kind: 'unreadable', problem: expect.stringContaining('no Internet message ID') });
  });

  test('everything is clamped to the schema limits, and cuts are noted', () => {
    const many = Array.from({ length: TRIAGE_LIMITS.attachments + 5 }, (_, i) => ({ name: `${'n'.repeat(600)}${i}`, contentType: 'text/plain', size: 10 }));
    const item = outlookItem({ subject: 's'.repeat(5_000), attachments: many, from: { displayName: 'D'.repeat(400), emailAddress: 'dana@northwind.example' } }) as unknown as MessageReadLike;
    const read = emailFromItem(item, 'b'.repeat(TRIAGE_LIMITS.bodyChars + 10));
    if (read.kind !== 'email') throw new Error(`expected an email, got ${JSON.stringify(read)}`);
    expect(read.email.subject).toHaveLength(2_000);
    expect(read.email.from.name).toHaveLength(300);
    expect(read.email.attachments).toHaveLength(TRIAGE_LIMITS.attachments);
    expect(read.email.attachments[0]!.name).toHaveLength(500);
    expect(read.email.bodyHtml).toHaveLength(TRIAGE_LIMITS.bodyChars);
    expect(read.notes).toEqual([expect.stringContaining('body was cut'), `Only the first ${TRIAGE_LIMITS.attachments} of ${TRIAGE_LIMITS.attachments + 5} attachments were described.`]);
    expect(EmailInputSchema.safeParse(read.email).success).toBe(true);
  });
});
