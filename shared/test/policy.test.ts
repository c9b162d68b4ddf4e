import { AGENT_COMPOSED_TEXT as TRUSTED } from '../src';
import { ACTION_CATALOGUE, ACTION_TYPES, AUTONOMY_LEVEL_NAMES, DEFAULT_SETTINGS, SettingsSchema, effectiveBoundary, PERSON_CARRIES_OUT, type ActionType } from '../src';

const SPEC_TABLE: Record<string, ActionType[]> = {
  auto: ['artefact_update', 'heartbeat_log', 'notification_internal', 'jira_comment'],
  hold: ['email_stakeholder', 'jira_status_change'],
  approval: ['email_external', 'jira_create_ticket', 'scope_change', 'milestone_change'],
  never: ['delete_data', 'share_confidential', 'modify_integration_config', 'change_own_autonomy_level'],
};

describe('action catalogue', () => {
  it('holds exactly the action types of the design brief, each with its specified boundary', () => {
    expect([...ACTION_TYPES].sort()).toEqual(Object.values(SPEC_TABLE).flat().sort());
    for (const [boundary, types] of Object.entries(SPEC_TABLE)) {
      for (const t of types) expect(ACTION_CATALOGUE[t].boundary).toBe(boundary);
    }
  });
});

describe('effectiveBoundary', () => {
  const at = (autonomyLevel: (typeof AUTONOMY_LEVEL_NAMES)[number], boundaryOverrides = {}) => ({ autonomyLevel, boundaryOverrides });

  it('at the default (manual) level every action that may run at all needs approval', () => {
    expect(DEFAULT_SETTINGS.autonomyLevel).toBe('manual');
    for (const t of ACTION_TYPES) {
      expect(effectiveBoundary(t, DEFAULT_SETTINGS, TRUSTED)).toBe(ACTION_CATALOGUE[t].boundary === 'never' ? 'never' : 'approval');
    }
  });

  it('assisted sends auto actions through the hold queue and keeps approvals', () => {
    expect(effectiveBoundary('jira_comment', at('assisted'), TRUSTED)).toBe('hold');
    expect(effectiveBoundary('jira_status_change', at('assisted'), TRUSTED)).toBe('hold');
    expect(effectiveBoundary('email_external', at('assisted'), TRUSTED)).toBe('approval');
  });

  it('delegated applies the specification as written, except that emails wait for the person who sends them', () => {
    for (const t of ACTION_TYPES) {
      if (PERSON_CARRIES_OUT.has(t)) continue;
      expect(effectiveBoundary(t, at('delegated'), TRUSTED)).toBe(ACTION_CATALOGUE[t].boundary);
    }
  });

  it('email actions never run by themselves at any level: the agent never sends mail (issue 14, item 1)', () => {
    for (const level of AUTONOMY_LEVEL_NAMES) {
      expect(effectiveBoundary('email_stakeholder', at(level), TRUSTED)).toBe('approval');
      expect(effectiveBoundary('email_external', at(level), TRUSTED)).toBe('approval');
    }
  });

  it('an override tightens, and never-do stays never at every level', () => {
    expect(effectiveBoundary('jira_comment', at('delegated', { jira_comment: 'approval' }), TRUSTED)).toBe('approval');
    for (const level of AUTONOMY_LEVEL_NAMES) {
      for (const t of SPEC_TABLE.never!) expect(effectiveBoundary(t, at(level, { [t]: 'auto' }), TRUSTED)).toBe('never');
    }
  });
});

describe('settings schema', () => {
  it('refuses loosening a boundary and unlocking a never-do action, naming the action', () => {
    const loosen = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, boundaryOverrides: { email_external: 'auto' } });
    expect(loosen.success).toBe(false);
    expect(loosen.error!.issues[0]!.message).toMatch(/email_external cannot be loosened/);
    const unlock = SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, boundaryOverrides: { delete_data: 'approval' } });
    expect(unlock.error!.issues[0]!.message).toMatch(/delete_data is a never-do action/);
  });

  it('accepts a tightening and refuses unknown fields and unknown levels', () => {
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, boundaryOverrides: { jira_comment: 'never' } }).success).toBe(true);
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, autonomyLevel: 'god_mode' }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, extra: 1 }).success).toBe(false);
  });
});
