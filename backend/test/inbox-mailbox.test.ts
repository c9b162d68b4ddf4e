import type { Suggestion } from '@pm-agent/shared';
import { BadRequestError, NotFoundError } from '@pm-agent/backend-client';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';
import { outlookClient } from './support/outlook';

/**
 * The Outlook "Waiting for you" view reads GET /v1/inbox as the Outlook user: each mailbox sees
 * the suggestions that came from it (the `mailbox` the triage pipeline and the agent store), and
 * nothing else. Before this was checked, the visibility rule read a field no suggestion had, so
 * every Outlook user saw an empty list.
 */
let b: TestBackend;
beforeAll(async () => (b = await startTestBackend({ seed: true })));
afterAll(() => b.stop());

const PAT = { sub: 'pat', name: LOCAL_USER.name, email: LOCAL_USER.email };
const SAM = { sub: 'sam', name: 'Sam Okafor', email: 'Sam.Okafor@example.com' };
const RILEY = { sub: 'riley', name: 'Riley Chen', email: 'riley.chen@example.com' };

async function reply(mailbox: string | undefined, body: string): Promise<Suggestion> {
  const res = await b.call(
    b.agent,
    '/v1/suggestions',
    jsonPost({
      actionType: 'email_external',
      payload: { to: ['dana.lee@northwind.example'], subject: 'Re: Sandbox', body },
      rationale: 'Mailbox test.',
      provenance: { source: 'email', ref: `<${body.replace(/\W/g, '')}@northwind.example>`, excerpt: 'x' },
      ...(mailbox ? { mailbox } : {}),
    }),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { suggestion: Suggestion }).suggestion;
}

let pats: Suggestion;
let sams: Suggestion;
let nobodys: Suggestion;
beforeAll(async () => {
  pats = await reply(PAT.email, 'Reply from Pat mailbox');
  sams = await reply(SAM.email, 'Reply from Sam mailbox');
  nobodys = await reply(undefined, 'Reply with no mailbox');
});

describe('GET /v1/inbox as an Outlook user', () => {
  it('each mailbox sees only its own waiting suggestions (addresses compared without case)', async () => {
    const forPat = await outlookClient(b, PAT).getInbox({ group: 'waiting' });
    const forSam = await outlookClient(b, SAM).getInbox({ group: 'waiting' });
    // Pat's: this reply and the three seeded email suggestions from Pat's mailbox.
    expect(forPat.items.map((s) => s.id)).toContain(pats.id);
    expect(forPat.items.map((s) => s.mailbox)).toEqual([LOCAL_USER.email, LOCAL_USER.email, LOCAL_USER.email, LOCAL_USER.email]);
    expect(forPat.counts.waiting).toBe(4);
    expect(forSam.items.map((s) => s.id)).toEqual([sams.id]);
    expect(forSam.total).toBe(1);
  });

  it('a user whose mailbox has nothing sees nothing, not the suggestions with no mailbox', async () => {
    const page = await outlookClient(b, RILEY).getInbox({});
    expect(page.items).toEqual([]);
    expect(page.counts.all).toBe(0);
  });

  it('another mailbox’s suggestion is not found, and cannot be decided in a batch', async () => {
    await expect(outlookClient(b, SAM).getSuggestion(pats.id)).rejects.toBeInstanceOf(NotFoundError);
    // Pat is an approver, Sam's suggestion is not Pat's: refused, nothing decided.
    const err = await outlookClient(b, PAT).decideMany({ decision: 'reject', reason: 'not mine', items: [{ id: sams.id, payloadHash: sams.payloadHash }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toMatch(/not yours to decide/);
    expect((await b.store.getSuggestion(sams.id))!.state).toBe('pending');
  });

  it('the agent may not read the inbox, and the Jira app sees every mailbox', async () => {
    expect((await b.call(b.agent, '/v1/inbox')).status).toBe(403);
    const forge = (await (await b.forge('/v1/inbox?group=waiting')).json()) as { items: Suggestion[] };
    expect(forge.items.map((s) => s.id)).toEqual(expect.arrayContaining([pats.id, sams.id, nobodys.id]));
  });
});
