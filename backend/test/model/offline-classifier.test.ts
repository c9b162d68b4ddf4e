import { ACTION_CATALOGUE, SIGNAL_KINDS, SanitisedEmailSchema, payloadTrust, quotedSegments, type Facts, type SanitisedEmail } from '@pm-agent/shared';
import { classifyOffline, classifyOfflineScreened } from '../../src/stages/classify/offline-classifier';
import { organisationOf } from '../../src/stages/classify/sender';
import { SUSPICIOUS_SIGNAL_KINDS } from '../../src/stages/model/suspicious';
import { CTX, DEADLINE_EMAIL, expectValidClassification, signal } from './fixtures';

const email = (over: Partial<Omit<SanitisedEmail, 'facts'>> & { facts?: Partial<Facts> } = {}): SanitisedEmail => {
  const { facts, ...rest } = over;
  return SanitisedEmailSchema.parse({ ...DEADLINE_EMAIL, signals: [], ...rest, facts: { summary: 'x', asks: [], dates: [], people: [], issueKeys: [], ...facts } });
};

describe('the deadline email', () => {
  const c = classifyOffline(DEADLINE_EMAIL, CTX);

  it('is a deadline_change with a facts-only jira_comment on ABC-123: the move from the dates alone, no words from the email', () => {
    expect(c.category).toBe('deadline_change');
    expect(c.priority).toBe('high');
    const comment = c.actions.find((a) => a.actionType === 'jira_comment');
    expect(ACTION_CATALOGUE.jira_comment.payload.parse(comment?.payload)).toMatchObject({ issueKey: 'ABC-123' });
    const body = String(comment?.payload['body']);
    expect(body).toBe('Email from northwind.example on 23 Nov: the date for ABC-123 moves from 27 Nov to 4 Dec.');
    expect(payloadTrust({ actionType: 'jira_comment', payload: comment!.payload, textOrigin: comment!.textOrigin, provenance: { source: 'email' } }).origin).toBe('facts');
  });

  it('without a stated "from … to …" the comment reports the email, its quoted pieces marked untrusted', () => {
    const vague = classifyOffline(email({ subject: 'ABC-123 update', facts: { summary: 'The Beta milestone for ABC-123 slips; new date 4 December.', dates: [{ text: '4 December', date: '2026-12-04' }], issueKeys: ['ABC-123'] } }), CTX);
    const comment = vague.actions.find((a) => a.actionType === 'jira_comment')!;
    const body = String(comment.payload['body']);
    expect(body.startsWith('Dana Lee (Northwind) wrote on 23 Nov 2026: The Beta milestone for ABC-123 slips')).toBe(true);
    const origin = comment.textOrigin?.['body'];
    expect(origin?.origin).toBe('untrusted');
    const quoted = quotedSegments(body, 'untrusted', origin).filter((q) => q.quoted).map((q) => q.text);
    expect(quoted).toEqual(['The Beta milestone for ABC-123 slips; new date 4 December.', '4 December (2026-12-04)', 'ABC-123 update']);
  });

  it('moves the named Beta milestone from 27 Nov to 4 Dec, and drafts an external reply to the sender', () => {
    expect(c.actions.map((a) => a.actionType)).toEqual(['jira_comment', 'milestone_change', 'email_external']);
    expect(c.actions[1]!.payload).toMatchObject({ milestone: 'Beta', currentDate: '2026-11-27', proposedDate: '2026-12-04' });
    expect(c.actions[2]!.payload).toMatchObject({ to: ['dana.lee@northwind.example'], subject: 'Re: ABC-123: Beta milestone moves to 4 December' });
    const body = String(c.actions[2]!.payload['body']);
    expect(body).toContain('- Confirm the new Beta date of 4 December.');
    expect(body.trimEnd().endsWith('—')).toBe(true);
    expectValidClassification(c);
  });
});

describe('rules, table-driven', () => {
  const rows: Array<{ name: string; input: SanitisedEmail; category: string; priority?: string; actions: string[]; check?: (p: Array<Record<string, unknown>>) => void }> = [
    {
      name: 'internal sender with asks → email_stakeholder',
      input: email({ from: { name: 'Sam Ho', address: 'sam@acme.example' }, subject: 'Slides', facts: { summary: 'Sam asks for the slides.', asks: ['Send the slides'] } }),
      category: 'request',
      actions: ['email_stakeholder'],
      check: (p) => expect(p[0]).toMatchObject({ to: ['sam@acme.example'], subject: 'Re: Slides' }),
    },
    {
      name: 'a look-alike domain is external (evil-acme.example is not acme.example)',
      input: email({ from: { address: 'sam@evil-acme.example' }, facts: { summary: 'Please send the slides.', asks: ['Send the slides'] } }),
      category: 'request',
      actions: ['email_external'],
    },
    {
      name: 'bug report with a key → issue_report and a "reported" comment',
      input: email({ subject: 'Login broken', facts: { summary: 'Dana reports that login fails with an error on ABC-7.', issueKeys: ['ABC-7'] } }),
      category: 'issue_report',
      priority: 'high',
      actions: ['jira_comment'],
      check: (p) => expect(String(p[0]!['body'])).toMatch(/^Dana Lee \(Northwind\) reported on 23 Nov 2026: /),
    },
    {
      name: 'new work without a key → jira_create_ticket in the default project',
      input: email({ subject: 'Export', facts: { summary: 'Dana asks the team to build a CSV export.', asks: ['Build a CSV export of invoices'] } }),
      category: 'request',
      actions: ['email_external', 'jira_create_ticket'],
      check: (p) => expect(p[1]).toMatchObject({ projectKey: 'ABC', issueType: 'Task', summary: 'Build a CSV export of invoices' }),
    },
    {
      name: 'request with a key → comment, no new ticket',
      input: email({ subject: 'Export', facts: { summary: 'Dana asks to add a CSV export to ABC-9.', asks: ['Add a CSV export'], issueKeys: ['ABC-9'] } }),
      category: 'request',
      actions: ['jira_comment', 'email_external'],
    },
    {
      name: 'date move without a key → deadline_change, milestone only (no comment)',
      input: email({ subject: 'Launch', facts: { summary: 'The Launch milestone is delayed to 9 January.', dates: [{ text: '9 January', date: '2027-01-09' }] } }),
      category: 'deadline_change',
      actions: ['milestone_change'],
      check: (p) => expect(p[0]).toEqual(expect.objectContaining({ milestone: 'Launch', proposedDate: '2027-01-09' })),
    },
    {
      name: 'date move without a named milestone → no milestone_change',
      input: email({ subject: 'Dates', facts: { summary: 'Delivery for ABC-4 slips to 9 January.', dates: [{ text: '9 January', date: '2027-01-09' }], issueKeys: ['ABC-4'] } }),
      category: 'deadline_change',
      actions: ['jira_comment'],
    },
    {
      name: 'date move with no ISO date for the milestone → comment only',
      input: email({ subject: 'Beta', facts: { summary: 'The Beta milestone for ABC-5 moves to early next year.', dates: [{ text: 'early next year' }], issueKeys: ['ABC-5'] } }),
      category: 'deadline_change',
      actions: ['jira_comment'],
    },
    {
      name: 'two keys, a milestone and asks → capped at three, in PM order',
      input: email({ facts: { ...DEADLINE_EMAIL.facts, issueKeys: ['ABC-123', 'ABC-124'] } }),
      category: 'deadline_change',
      actions: ['jira_comment', 'milestone_change', 'email_external'],
    },
    {
      name: 'meeting logistics → meeting, no actions',
      input: email({ subject: 'Agenda', facts: { summary: 'Dana shares the agenda for the meeting.' } }),
      category: 'meeting',
      priority: 'normal',
      actions: [],
    },
    {
      name: 'status news with a key → status_update, low, comment',
      input: email({ subject: 'Progress', facts: { summary: 'ABC-8 is on track and testing is completed.', issueKeys: ['ABC-8'] } }),
      category: 'status_update',
      priority: 'low',
      actions: ['jira_comment'],
    },
    { name: 'nothing to do → fyi, low, no actions', input: email({ subject: 'Photos', facts: { summary: 'Dana shares photos of the offsite.' } }), category: 'fyi', priority: 'low', actions: [] },
    // The subject says what broke: a bare "URGENT" over one sentence is too little for the learned category (it read status_update).
    { name: '"urgent" raises priority', input: email({ subject: 'URGENT: production outage', facts: { summary: 'Production outage on ABC-1, an error everywhere.', issueKeys: ['ABC-1'] } }), category: 'issue_report', priority: 'urgent', actions: ['jira_comment'] },
    { name: '"not urgent" is low, not urgent', input: email({ subject: 'Not urgent', facts: { summary: 'Not urgent: a typo bug on ABC-2.', issueKeys: ['ABC-2'] } }), category: 'issue_report', priority: 'low', actions: ['jira_comment'] },
    { name: 'authority_claim alone does not void the triage', input: email({ signals: [signal('authority_claim')], subject: 'Photos', facts: { summary: 'Shares photos.' } }), category: 'fyi', actions: [] },
    // Rows added with the held-out sets (fixtures/emails/labelled-sets.json): each is a kind of mail, not one email's wording.
    { name: 'an automatic reply is fyi and low, whatever it says about urgency, and gets no reply draft', input: email({ subject: 'Automatic reply: budget', facts: { summary: 'I am out of the office until 8 December. For anything urgent please call Maya.', asks: ['For anything urgent please call Maya.'] } }), category: 'fyi', priority: 'low', actions: [] },
    { name: "a calendar answer is a meeting; a declined one is low", input: email({ subject: 'Declined: Vendor sync', facts: { summary: 'Kai has declined this invitation.' } }), category: 'meeting', priority: 'low', actions: [] },
    { name: 'mail with an unsubscribe link is list mail: fyi, even when it mentions a failure', input: email({ subject: 'This week in delivery', links: [{ text: 'Unsubscribe', href: 'https://news.example/u/1', host: 'news.example' }], facts: { summary: 'Why estimates fail, and how to spot burnout early.' } }), category: 'fyi', priority: 'low', actions: [] },
    { name: '"the move to the new platform" is not a date moving', input: email({ subject: 'Password reset for all staff', facts: { summary: 'As part of the move to the new platform, everyone resets their password after 9 December.', dates: [{ text: '9 December', date: '2026-12-09' }] } }), category: 'fyi', actions: [] },
    { name: 'a date set against another moves: "18 December instead of 11 December"', input: email({ subject: 'RE: UAT sign-off', facts: { summary: 'UAT sign-off is now due 18 December instead of 11 December.', dates: [{ text: '18 December', date: '2026-12-18' }, { text: '11 December', date: '2026-12-11' }] } }), category: 'deadline_change', actions: [] },
    { name: 'a monitoring alert tag is an issue; its all-clear is status', input: email({ subject: '[FIRING:1] HighErrorRate api (production)', facts: { summary: 'api returns 503 for 8% of requests.' } }), category: 'issue_report', priority: 'urgent', actions: [] },
    { name: 'an all-clear tag is a status update', input: email({ subject: '[OK] DiskSpaceLow db-2', facts: { summary: 'Disk usage back to 61%.' } }), category: 'status_update', priority: 'low', actions: [] },
    { name: 'a question in the summary is a request, though not an ask a reply quotes', input: email({ subject: 'Quick question', facts: { summary: 'Do you know who owns the export job now?' } }), category: 'request', actions: [] },
    { name: 'an incident that is over is status, not an issue', input: email({ subject: 'Post-incident review: login outage', facts: { summary: 'The outage lasted 42 minutes; the certificate is renewed.' } }), category: 'status_update', priority: 'low', actions: [] },
  ];

  it.each(rows)('$name', ({ input, category, priority, actions, check }) => {
    const { classification: c, dropped } = classifyOfflineScreened(input, CTX);
    expect(c.category).toBe(category);
    if (priority) expect(c.priority).toBe(priority);
    expect(c.actions.map((a) => a.actionType)).toEqual(actions);
    expect(dropped).toEqual([]);
    expectValidClassification(c);
    check?.(c.actions.map((a) => a.payload));
  });

  it.each([...SUSPICIOUS_SIGNAL_KINDS])('a %s signal → suspicious, high, no actions', (kind) => {
    expect(classifyOffline({ ...DEADLINE_EMAIL, signals: [signal(kind)] }, CTX)).toEqual({ category: 'suspicious', priority: 'high', actions: [] });
  });

  it('a ticket goes to ctx.defaultProjectKey, and to ABC when none is given', () => {
    // Its own subject: the default one says a milestone moves, which the learned category reads as a deadline change.
    const input = email({ subject: 'New report', facts: { summary: 'Please build a new report.', asks: ['Build a new report'] } });
    expect(classifyOffline(input, { internalDomains: [], defaultProjectKey: 'OPS' }).actions.find((a) => a.actionType === 'jira_create_ticket')?.payload['projectKey']).toBe('OPS');
    expect(classifyOffline(input, { internalDomains: [] }).actions.find((a) => a.actionType === 'jira_create_ticket')?.payload['projectKey']).toBe('ABC');
  });

  it.each([
    ['dana@northwind.example', 'Northwind'],
    ['x@mail.acme.co.uk', 'Acme'],
    ['x@localhost', 'localhost'],
  ])('organisationOf(%s) = %s', (address, org) => expect(organisationOf(address)).toBe(org));
});

describe('generated inputs: every output passes ClassificationSchema and each payload its catalogue schema', () => {
  // A seeded generator: the same 600 cases every run, so a failure is reproducible by its index.
  let seed = 0x2f6b_1d3a;
  const rnd = (): number => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick(xs));

  const NASTY = ['', ' ', '\u0000\u0007bell', 'tab\there', 'line\r\nbreak', '\u202Ereversed\u200B', '😀'.repeat(700), 'Re: already a reply', 'x'.repeat(1_999), '<b>bold</b> ![img](https://e.example/a.png)', '```'];
  const WORDS = ['moves', 'delayed', 'postponed', 'slips', 'rescheduled', 'bug', 'error', 'outage', 'meeting', 'agenda', 'please', 'build', 'new', 'status', 'completed', 'urgent', 'not urgent', 'the Beta milestone', 'milestone M2', 'ABC-1', 'asks', 'fyi'];
  const text = (max: number): string => [...some(WORDS, 8), pick(NASTY)].join(' ').slice(0, max);
  const KEYS = ['ABC-1', 'ABC-123', 'OPS-42', 'X_1-9'];
  const DATES = [{ text: '27 November', date: '2026-11-27' }, { text: '4 December', date: '2026-12-04' }, { text: 'soon' }, { text: '\u0000' }];
  const FROM = [{ name: 'Dana Lee', address: 'dana@northwind.example' }, { address: 'sam@acme.example' }, { name: '\u0001\u0002', address: 'a@b.co.uk' }, { name: ' ', address: 'q@sub.acme.example' }];
  const RECEIVED = ['2026-11-23T09:15:00Z', 'not a date', ''];
  const NON_SUSPICIOUS = SIGNAL_KINDS.filter((k) => !SUSPICIOUS_SIGNAL_KINDS.has(k));

  const cases = Array.from({ length: 600 }, (_, i): SanitisedEmail => ({
    ...DEADLINE_EMAIL,
    subject: i % 7 === 0 ? pick(NASTY) : text(2_000),
    from: pick(FROM),
    receivedAt: pick(RECEIVED),
    signals: i % 5 === 0 ? [signal(pick(SIGNAL_KINDS))] : some(NON_SUSPICIOUS, 2).map(signal),
    facts: {
      summary: (text(1_200) || 'x').slice(0, 1_200),
      asks: some(NASTY, 3).map((a) => a.slice(0, 500)).concat(some(WORDS, 2)),
      dates: some(DATES, 3),
      people: [],
      issueKeys: [...new Set(some(KEYS, 3))],
    },
  }));

  it('the generated inputs are themselves valid hand-overs', () => {
    for (const c of cases) SanitisedEmailSchema.parse(c);
  });

  it('600 generated emails classify into valid outputs, nothing left for screening to drop, never more than 3 actions', () => {
    const seen = new Set<string>();
    cases.forEach((input, i) => {
      const { classification: c, dropped } = classifyOfflineScreened(input, CTX);
      try {
        expectValidClassification(c);
        expect(dropped).toEqual([]);
        expect(c.actions.length).toBeLessThanOrEqual(3);
        if (input.signals.some((s) => SUSPICIOUS_SIGNAL_KINDS.has(s.kind))) expect(c).toMatchObject({ category: 'suspicious', actions: [] });
      } catch (e) {
        throw new Error(`case ${i}: ${(e as Error).message}`);
      }
      c.actions.forEach((a) => seen.add(a.actionType));
      seen.add(c.category);
    });
    // The generator reaches every action the offline rules can produce, so the checks above mean something.
    expect([...seen]).toEqual(expect.arrayContaining(['jira_comment', 'milestone_change', 'email_external', 'email_stakeholder', 'jira_create_ticket', 'suspicious', 'deadline_change']));
  });
});
