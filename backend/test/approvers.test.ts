import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Approver, type CreateSuggestionRequest, type Settings, type Suggestion } from '@pm-agent/shared';
import { approverChanges } from '../src/domain/approver-changes';
import { AGENT_ACTOR, isApprover, type Caller } from '../src/domain/caller';
import { updateSettings } from '../src/domain/settings';
import { approveSuggestion, createSuggestion, rejectSuggestion } from '../src/domain/suggestions';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';

/** Authorisation over one list of people, exactly as strict as over the two old lists. */
const PAT: Approver = { name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' };
const SAM: Approver = { name: 'Sam Lee', jiraAccountId: '712020:sam' };
const DANA: Approver = { name: 'Dana Lee', email: 'dana@example.com' };
const settings: Settings = { ...DEFAULT_SETTINGS, approvers: [PAT, SAM, DANA] };

const jira = (id: string, admin = false): Caller => ({ principal: 'forge', actor: { principal: 'forge', id }, admin });
const outlook = (email: string, name?: string): Caller => ({ principal: 'outlook', actor: { principal: 'outlook', id: email, ...(name ? { name } : {}) }, admin: false });

describe('who is an approver', () => {
  it('a Jira caller whose verified accountId is on a person is one (with or without an email on that person)', () => {
    expect(isApprover(jira('712020:pat'), settings)).toBe(true);
    expect(isApprover(jira('712020:sam'), settings)).toBe(true);
  });

  it('an Outlook caller whose verified email is on a person is one, in any case (with or without a Jira account on that person)', () => {
    expect(isApprover(outlook('pat@example.com'), settings)).toBe(true);
    expect(isApprover(outlook('DANA@Example.com'), settings)).toBe(true);
  });

  it('neither: someone on no person is not, nor is a name, nor an identity from the other channel, nor a Jira admin as such', () => {
    expect(isApprover(jira('712020:riley'), settings)).toBe(false);
    expect(isApprover(jira('712020:riley', true), settings)).toBe(false);
    expect(isApprover(outlook('riley@example.com', 'Pat Morgan'), settings)).toBe(false);
    // Dana approves from Outlook only; her email as a Jira id, or Sam's account as an Outlook id, is nobody.
    expect(isApprover(jira('dana@example.com'), settings)).toBe(false);
    expect(isApprover(outlook('712020:sam'), settings)).toBe(false);
    expect(isApprover(jira('712020:PAT'), settings)).toBe(false);
    expect(isApprover({ principal: 'agent', actor: { principal: 'agent', id: '712020:pat' }, admin: false }, settings)).toBe(false);
  });
});

describe('approver changes, person by person, for the audit trail', () => {
  it('names who was added, removed and changed; the same account or email is the same person', () => {
    const after: Approver[] = [{ ...PAT, name: 'Pat Morgan-Lee' }, DANA, { name: 'Kim Wu', email: 'kim@example.com' }];
    expect(approverChanges([PAT, SAM, DANA], after)).toEqual([
      { action: 'approver.changed', details: { person: { name: 'Pat Morgan-Lee', jiraAccountId: '712020:pat', email: 'pat@example.com' }, was: { name: 'Pat Morgan', jiraAccountId: '712020:pat', email: 'pat@example.com' } } },
      { action: 'approver.added', details: { person: { name: 'Kim Wu', email: 'kim@example.com' } } },
      { action: 'approver.removed', details: { person: { name: 'Sam Lee', jiraAccountId: '712020:sam' } } },
    ]);
  });

  it('nothing when the same people come back in another key order, and no undefined fields in what is recorded', () => {
    expect(approverChanges([PAT], [{ email: 'pat@example.com', jiraAccountId: '712020:pat', name: 'Pat Morgan' }])).toEqual([]);
    const [added] = approverChanges([], [{ name: 'Dana', email: 'dana@example.com', jiraAccountId: undefined }]);
    expect(Object.keys(added!.details.person)).toEqual(['name', 'email']);
  });
});

describe('a decision records the approver by the name on the list', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-agent-approvers-'));
  const store = new SqliteStore(join(dir, 'store.sqlite'));
  const deps = { store, now: () => new Date('2026-12-01T10:00:00.000Z') };
  const admin: Caller = { principal: 'forge', actor: { principal: 'forge', id: '712020:admin' }, admin: true };
  const imported: Approver = { name: 'Jira approver 1 (imported: enter their name)', jiraAccountId: '712020:old' };
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function proposed(body: string, mailbox?: string): Promise<Suggestion> {
    const req: CreateSuggestionRequest = { actionType: 'jira_comment', payload: { issueKey: 'ABC-1', body }, rationale: 'r', provenance: { source: 'email', ref: '<m@x>', excerpt: '' }, ...(mailbox ? { mailbox } : {}) };
    const out = await createSuggestion(deps, { principal: 'agent', actor: AGENT_ACTOR, admin: false }, req);
    return (out.body as { suggestion: Suggestion }).suggestion;
  }

  it('a Jira approver (whose identity has no name) by their name; an Outlook name from the token is kept; an imported placeholder is not a name', async () => {
    expect((await updateSettings(deps, admin, { ...settings, approvers: [...settings.approvers, imported] })).status).toBe(200);
    const a = await proposed('one');
    const out = await approveSuggestion(deps, jira('712020:pat'), a.id, { payloadHash: a.payloadHash });
    expect((out.body as { suggestion: Suggestion }).suggestion.decision!.by).toEqual({ principal: 'forge', id: '712020:pat', name: 'Pat Morgan' });
    const trail = (await store.readAuditChain()).entries;
    expect(trail.find((e) => e.action === 'suggestion.approved' && e.subject === a.id)!.actor).toEqual({ principal: 'forge', id: '712020:pat', name: 'Pat Morgan' });

    const b = await proposed('two', 'dana@example.com');
    const byToken = await rejectSuggestion(deps, outlook('dana@example.com', 'Dana L.'), b.id, 'no');
    expect((byToken.body as { suggestion: Suggestion }).suggestion.decision!.by).toEqual({ principal: 'outlook', id: 'dana@example.com', name: 'Dana L.' });

    const c = await proposed('three');
    const byOld = await rejectSuggestion(deps, jira('712020:old'), c.id, 'no');
    expect((byOld.body as { suggestion: Suggestion }).suggestion.decision!.by).toEqual({ principal: 'forge', id: '712020:old' });
  });
});
