import { AUTONOMY_LEVELS, canonicalJson, type Settings, type SettingsView, type Suggestion } from '@pm-agent/shared';
import type { AuditDraft, Store } from '../store/store';
import { approverChanges } from './approver-changes';
import type { Caller } from './caller';
import { dueAt, pausedNow, resumedNow } from './hold-clock';
import { runOnce, type Outcome } from './idempotency';
import { decideAndCommit } from './unit-of-work';

/**
 * Settings change only through the admin page (forge principal, admin role). Each change is one
 * change set, conditioned on the version read, with its audit entries: the whole change, plus a
 * separate entry for the changes reviewers look for first: the autonomy level, the pause switch,
 * and each approver added, removed or changed (named). Pausing records a pause interval with the settings; nothing else is rewritten.
 */
export async function updateSettings(deps: { store: Store; now: () => Date }, caller: Caller, next: Settings, expectedVersion?: number): Promise<Outcome> {
  const at = deps.now().toISOString();
  let resumed = false;
  const out = await runOnce(deps.store, { scope: 'settings', key: undefined, fingerprint: '' }, at, async () => {
    const [current, clock] = await Promise.all([deps.store.getSettings(), deps.store.getPauses()]);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      return {
        result: {
          status: 409,
          body: { error: 'conflict', message: `The settings changed since version ${expectedVersion} (now version ${current.version}). Look at the current settings and make your change again.`, current },
        },
      };
    }
    const view: SettingsView = { settings: next, version: current.version + 1, updatedAt: at, updatedBy: caller.actor };
    let pauses = clock.pauses;
    if (!current.settings.paused && next.paused) pauses = pausedNow(pauses, at);
    if (current.settings.paused && !next.paused) pauses = resumedNow(pauses, at);
    resumed = current.settings.paused && !next.paused;
    return { result: { status: 200, body: view }, changes: { writes: [{ kind: 'settings', value: view, pauses }], audit: auditDrafts(current, view, caller, at) } };
  });
  if (out.status === 200 && resumed) await showRescheduledHoldTimers(deps, caller, at);
  return out;
}

/**
 * After a resume, each held suggestion's runAt is moved to when it is now due, so the panels show
 * the right time: one small change set per suggestion, never one rewrite of them all. Running does
 * not depend on this step (the dispatcher computes the due time from the pause intervals), so a
 * crash half-way through delays nothing and runs nothing early.
 */
export async function showRescheduledHoldTimers(deps: { store: Store; now: () => Date }, caller: Caller, at: string): Promise<number> {
  let moved = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.listScheduled({ limit: 100, cursor });
    cursor = page.next ?? undefined;
    for (const { id } of page.items) if (await rescheduleOne(deps.store, id, caller.actor, at, 'resumed after pause')) moved += 1;
  } while (cursor);
  return moved;
}

/** Moves one held suggestion's runAt to its due time under the recorded pauses, if that differs. */
export function rescheduleOne(store: Store, id: string, actor: Caller['actor'], at: string, reason: string): Promise<boolean> {
  return decideAndCommit(store, async () => {
    const [s, clock] = await Promise.all([store.getSuggestion(id), store.getPauses()]);
    if (!s || s.state !== 'scheduled' || !s.runAt) return { result: false };
    const due = dueAt(s, clock.pauses);
    if (!due || due === s.runAt) return { result: false };
    const next: Suggestion = { ...s, runAt: due, updatedAt: at, version: s.version + 1 };
    return {
      result: true,
      changes: {
        writes: [{ kind: 'suggestion', value: next, expectedVersion: s.version }],
        checks: [{ kind: 'settingsVersion', version: clock.version }],
        audit: [{ at, actor, action: 'hold.rescheduled', subject: id, details: { from: s.runAt, to: due, reason } }],
      },
    };
  });
}

function auditDrafts(before: SettingsView, after: SettingsView, caller: Caller, at: string): AuditDraft[] {
  // Both sides' keys: an optional setting (undoWindowMinutes) may be added or removed. Absent is null
  // in the trail, since the audit chain's canonical JSON has no undefined.
  const keys = [...new Set([...Object.keys(before.settings), ...Object.keys(after.settings)])] as Array<keyof Settings>;
  // Canonical JSON: the same approvers or overrides sent back in another key order are no change.
  const changed = keys.filter((k) => canonicalJson(plain(before.settings[k])) !== canonicalJson(plain(after.settings[k])));
  const base = { at, actor: caller.actor, subject: 'settings' };
  // Before and after, so the admin page can say what changed in words.
  const pick = (v: SettingsView) => Object.fromEntries(changed.map((k) => [k, plain(v.settings[k])]));
  const drafts: AuditDraft[] = [{ ...base, action: 'settings.updated', details: { version: after.version, changed, before: pick(before), after: pick(after) } }];
  if (before.settings.autonomyLevel !== after.settings.autonomyLevel) {
    const from = before.settings.autonomyLevel;
    const to = after.settings.autonomyLevel;
    drafts.push({ ...base, action: 'autonomy.changed', details: { from, to, raised: AUTONOMY_LEVELS[to].rank > AUTONOMY_LEVELS[from].rank } });
  }
  if (before.settings.paused !== after.settings.paused) {
    drafts.push({ ...base, action: after.settings.paused ? 'agent.paused' : 'agent.resumed', details: {} });
  }
  for (const change of approverChanges(before.settings.approvers, after.settings.approvers)) drafts.push({ ...base, action: change.action, details: change.details });
  return drafts;
}

/** A setting as plain JSON (undefined fields dropped, absent as null): what the audit chain's canonical JSON can hold. */
function plain(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
