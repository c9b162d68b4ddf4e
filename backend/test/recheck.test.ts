import { DEFAULT_SETTINGS, payloadHash, type Settings, type Suggestion } from '@pm-agent/shared';
import { recheck } from '../src/stages/execute/recheck';

/** The execute stage's own decision, whatever the store says. */
const NOW = new Date('2026-11-23T12:00:00Z');
const delegated: Settings = { ...DEFAULT_SETTINGS, autonomyLevel: 'delegated' };

async function suggestion(over: Partial<Suggestion> = {}): Promise<Suggestion> {
  const payload = over.payload ?? { issueKey: 'ABC-1', body: 'hello' };
  const hash = await payloadHash(payload);
  return {
    id: 'sug_AAAAAAAAAAAAAAAAAAAAAAAA', actionType: 'jira_comment', payload, payloadHash: hash, edited: false, issueKey: 'ABC-1', rationale: 'r',
    provenance: { source: 'agent', ref: 'x', excerpt: '' }, boundary: 'approval', state: 'executing', createdBy: { principal: 'agent', id: 'pm-agent' },
    createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), expiresAt: null, runAt: null, decision: null, result: null, version: 3, ...over,
  };
}
const approvedBy = (hash: string) => ({ kind: 'approved' as const, by: { principal: 'forge' as const, id: 'u' }, at: NOW.toISOString(), payloadHash: hash });

describe('recheck', () => {
  it('refuses a never-do action even with a human approval on record', async () => {
    const s = await suggestion({ actionType: 'delete_data', payload: { what: 'all' } });
    const r = await recheck({ ...s, decision: approvedBy(s.payloadHash) }, delegated, NOW);
    expect(r).toMatchObject({ allowed: false, reason: expect.stringMatching(/never-do/) });
  });

  it('refuses an action an admin has since made never-do', async () => {
    const s = await suggestion();
    const r = await recheck({ ...s, decision: approvedBy(s.payloadHash) }, { ...delegated, boundaryOverrides: { jira_comment: 'never' } }, NOW);
    expect(r.allowed).toBe(false);
  });

  it('runs an approval only with the approved hash, and defers while paused', async () => {
    const s = await suggestion();
    expect(await recheck({ ...s, decision: approvedBy(s.payloadHash) }, DEFAULT_SETTINGS, NOW)).toEqual({ allowed: true, basis: 'approved' });
    expect((await recheck({ ...s, decision: approvedBy('f'.repeat(64)) }, DEFAULT_SETTINGS, NOW)).allowed).toBe(false);
    expect(await recheck(s, DEFAULT_SETTINGS, NOW)).toMatchObject({ allowed: false, reason: expect.stringMatching(/needs an approval/) });
    expect(await recheck({ ...s, decision: approvedBy(s.payloadHash) }, { ...DEFAULT_SETTINGS, paused: true }, NOW)).toMatchObject({ allowed: false, deferred: true });
  });

  it('runs auto actions only while autonomy allows, and hold actions only once due', async () => {
    const s = await suggestion();
    expect(await recheck(s, delegated, NOW)).toEqual({ allowed: true, basis: 'auto' });
    expect((await recheck(s, { ...DEFAULT_SETTINGS, autonomyLevel: 'manual' }, NOW)).allowed).toBe(false);
    const hold = await suggestion({ actionType: 'jira_status_change', payload: { issueKey: 'ABC-1', toStatus: 'Done' } });
    expect((await recheck({ ...hold, runAt: new Date(NOW.getTime() + 60_000).toISOString() }, delegated, NOW)).allowed).toBe(false);
    expect(await recheck({ ...hold, runAt: new Date(NOW.getTime() - 1).toISOString() }, delegated, NOW)).toEqual({ allowed: true, basis: 'hold_elapsed' });
  });

  it('refuses anything not in the executing state', async () => {
    const s = await suggestion({ state: 'pending' });
    expect((await recheck(s, delegated, NOW)).allowed).toBe(false);
  });
});
