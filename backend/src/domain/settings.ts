import { AUTONOMY_LEVELS, type Settings, type SettingsView } from '@pm-agent/shared';
import type { Store } from '../store/store';
import type { Caller } from './caller';
import { runOnce, type Outcome } from './idempotency';
import type { AuditDraft, StoreTx } from '../store/store';

/**
 * Settings change only through the admin page (forge principal, admin role). Each change is one
 * transaction with its audit entries: the whole change, plus a separate entry for the two changes
 * reviewers look for first: the autonomy level and the pause switch.
 */
export function updateSettings(deps: { store: Store; now: () => Date }, caller: Caller, next: Settings, expectedVersion?: number): Promise<Outcome> {
  const at = deps.now().toISOString();
  return runOnce(deps.store, { scope: 'settings', key: undefined, fingerprint: '' }, at, (tx) => {
    const current = tx.getSettings();
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      return {
        status: 409,
        body: { error: 'conflict', message: `Someone else changed the settings (now version ${current.version}). Reload the page and make your change again.` },
      };
    }
    const view = tx.putSettings(next, caller.actor, at);
    for (const draft of auditDrafts(current, view, caller, at)) tx.appendAudit(draft);
    if (!current.settings.paused && next.paused) tx.setRuntime(PAUSED_AT, at);
    if (current.settings.paused && !next.paused) resumeHoldTimers(tx, caller, at);
    return { status: 200, body: view };
  });
}

const PAUSED_AT = 'pausedAt';

/**
 * Pausing stops the hold timers too: on resume, every scheduled suggestion's runAt moves later by
 * the length of the pause, so nobody loses the time they had to stop it.
 */
function resumeHoldTimers(tx: StoreTx, caller: Caller, at: string): void {
  const pausedAt = tx.getRuntime(PAUSED_AT);
  tx.setRuntime(PAUSED_AT, null);
  if (!pausedAt) return;
  const pausedMs = Date.parse(at) - Date.parse(pausedAt);
  for (const s of tx.listSuggestions({ state: 'scheduled', limit: 10_000 })) {
    if (!s.runAt) continue;
    const runAt = new Date(Date.parse(s.runAt) + pausedMs).toISOString();
    tx.updateSuggestion({ ...s, runAt, updatedAt: at, version: s.version + 1 });
    tx.appendAudit({ at, actor: caller.actor, action: 'hold.rescheduled', subject: s.id, details: { from: s.runAt, to: runAt, reason: 'resumed after pause' } });
  }
}

function auditDrafts(before: SettingsView, after: SettingsView, caller: Caller, at: string): AuditDraft[] {
  const changed = (Object.keys(after.settings) as Array<keyof Settings>).filter(
    (k) => JSON.stringify(before.settings[k]) !== JSON.stringify(after.settings[k]),
  );
  const base = { at, actor: caller.actor, subject: 'settings' };
  // Before and after, so the admin page can say what changed in words.
  const pick = (v: SettingsView) => Object.fromEntries(changed.map((k) => [k, v.settings[k]]));
  const drafts: AuditDraft[] = [{ ...base, action: 'settings.updated', details: { version: after.version, changed, before: pick(before), after: pick(after) } }];
  if (before.settings.autonomyLevel !== after.settings.autonomyLevel) {
    const from = before.settings.autonomyLevel;
    const to = after.settings.autonomyLevel;
    drafts.push({ ...base, action: 'autonomy.changed', details: { from, to, raised: AUTONOMY_LEVELS[to].rank > AUTONOMY_LEVELS[from].rank } });
  }
  if (before.settings.paused !== after.settings.paused) {
    drafts.push({ ...base, action: after.settings.paused ? 'agent.paused' : 'agent.resumed', details: {} });
  }
  return drafts;
}
