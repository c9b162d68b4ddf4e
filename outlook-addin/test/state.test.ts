import { INITIAL, next, type PaneState } from '../src/state';
import { EMAIL, suggestion, triage } from './support/fixtures';

const ready = next(INITIAL, { type: 'item', email: EMAIL, notes: [] });
const error = { title: 'Cannot reach the PM agent backend', message: 'refused' };

describe('the pane state machine', () => {
  test('item → ready → triaging → result', () => {
    expect(ready).toEqual({ kind: 'ready', email: EMAIL, notes: [] });
    const triaging = next(ready, { type: 'triage' });
    expect(triaging.kind).toBe('triaging');
    const result = next(triaging, { type: 'triaged', triage: triage(), cached: false, viewer: null });
    expect(result.kind).toBe('result');
    expect(result.kind === 'result' && Object.keys(result.cards)).toHaveLength(2);
  });

  test('a failure keeps the email so the person can try again; a retry triages again', () => {
    const failed = next(next(ready, { type: 'triage' }), { type: 'failed', error, retry: true });
    expect(failed).toEqual({ kind: 'error', error, retry: true, email: EMAIL, notes: [] });
    expect(next(failed, { type: 'triage' }).kind).toBe('triaging');
  });

  test('a new item (or none) replaces everything: nothing of the old email lingers', () => {
    const result = next(next(ready, { type: 'triage' }), { type: 'triaged', triage: triage(), cached: false, viewer: null });
    expect(next(result, { type: 'no-item' })).toEqual({ kind: 'no-item' });
    const other = { ...EMAIL, subject: 'Other' };
    expect(next(result, { type: 'item', email: other, notes: [] })).toEqual({ kind: 'ready', email: other, notes: [] });
  });

  test('an unreadable new item shows its problem and nothing of the previous email', () => {
    const unreadable = next(ready, { type: 'unreadable', error });
    expect(unreadable).toEqual({ kind: 'error', error, retry: false });
    expect(next(unreadable, { type: 'triage' })).toBe(unreadable);
  });

  test('a late triage answer for an item no longer shown is dropped', () => {
    expect(next(ready, { type: 'triaged', triage: triage(), cached: false, viewer: null })).toBe(ready);
    const none: PaneState = { kind: 'no-item' };
    expect(next(none, { type: 'triaged', triage: triage(), cached: false, viewer: null })).toBe(none);
  });

  test('a decided suggestion replaces its old version and resets its card; unknown ids change nothing', () => {
    const t = triage();
    const result = next(next(ready, { type: 'triage' }), { type: 'triaged', triage: t, cached: false, viewer: null });
    const editing = next(result, { type: 'card', id: t.suggestions[0]!.id, patch: { mode: 'edit', draft: 'x' } });
    const approved = { ...t.suggestions[0]!, state: 'approved' as const };
    const after = next(editing, { type: 'suggestion', suggestion: approved, note: 'Approved.' });
    if (after.kind !== 'result') throw new Error('expected result');
    expect(after.triage.suggestions[0]!.state).toBe('approved');
    expect(after.cards[approved.id]).toEqual({ mode: 'view', draft: '', busy: false, note: 'Approved.' });
    const stranger = suggestion('heartbeat_log', { note: 'x' }, { id: 'sug_zzzzzzzzzzzzzzzzzzzzzzzz' });
    expect(next(after, { type: 'suggestion', suggestion: stranger })).toBe(after);
  });
});
