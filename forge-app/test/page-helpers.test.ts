import { formatDuration, formatWhen } from '../src/frontend/format';
import { EDITABLE_TEXT, editedPayload } from '@pm-agent/shared';
import { ACTION_CATALOGUE, ACTION_TYPES } from '@pm-agent/shared';

describe('how the pages say times', () => {
  it('durations in words, rounded the way people round', () => {
    expect(formatDuration(0)).toBe('less than a minute');
    expect(formatDuration(59_999)).toBe('less than a minute');
    expect(formatDuration(60_000)).toBe('1 minute');
    expect(formatDuration(29 * 60_000 + 40_000)).toBe('30 minutes');
    expect(formatDuration(60 * 60_000)).toBe('1 hour');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 hours 5 minutes');
    expect(formatDuration(7 * 86_400_000)).toBe('7 days');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3 days 4 hours');
  });

  it('moments in UTC, whatever the reader’s locale', () => {
    expect(formatWhen('2026-11-23T14:05:59.999Z')).toBe('2026-11-23 14:05 UTC');
    expect(formatWhen('2026-11-23T15:05:00+01:00')).toBe('2026-11-23 14:05 UTC');
    expect(formatWhen('not a date')).toBe('not a date');
  });
});

describe('what an approver may edit', () => {
  it('names a field that exists in the action’s payload schema, and never a never-do action', () => {
    for (const [type, editable] of Object.entries(EDITABLE_TEXT)) {
      if (!editable) continue; // every type has a row; null: nothing an approver may edit
      const spec = ACTION_CATALOGUE[type as keyof typeof ACTION_CATALOGUE];
      expect([type, spec.boundary]).not.toEqual([type, 'never']);
      expect([type, Object.keys((spec.payload as unknown as { shape: object }).shape)]).toEqual([type, expect.arrayContaining([editable.field])]);
    }
    expect(ACTION_TYPES.filter((t) => !EDITABLE_TEXT[t])).toEqual(['jira_status_change', 'delete_data', 'share_confidential', 'modify_integration_config', 'change_own_autonomy_level']);
  });

  it('replaces only the editable field, and checks the result against the schema', () => {
    const payload = { to: ['dana@northwind.example'], subject: 'Re: Sandbox', body: 'Hi Dana' };
    expect(editedPayload('email_external', payload, 'Hello Dana')).toEqual({ ok: true, payload: { ...payload, body: 'Hello Dana' } });
    expect(editedPayload('email_external', payload, 'x'.repeat(30_001))).toEqual({ ok: false, problem: 'Email text must be at most 30000 characters.' });
  });
});
