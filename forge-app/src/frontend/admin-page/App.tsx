import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Button, Inline, Spinner, Stack, Text } from '@forge/react';
import type { AuditEntry, Settings, SettingsView } from '@pm-agent/shared';
import type { ConnectionCheck, ConnectionView, PayloadOf, ResolverError } from '../../common/contract';
import { call, CANCELLED } from '../bridge';
import { ErrorMessage, InboxLink, OutcomeView, type Outcome } from '../components';
import { formatWhen } from '../format';
import { LoadingView } from '../issue-panel/StateViews';
import { useWaits } from '../use-waits';
import { ApproversSection } from './ApproversSection';
import { AuditSection } from './AuditSection';
import { ConnectionSection } from './ConnectionSection';
import { PauseSection } from './PauseSection';
import { PolicySection } from './PolicySection';
import { inWords } from './field-names';

type Loaded<T> = { status: 'loading' } | { status: 'failed'; error: ResolverError } | ({ status: 'loaded' } & T);

/** Which part of the page waits for an answer: every button waits with it, and that part shows Cancel. */
type Busy = 'pause' | 'connection' | 'settings' | undefined;

/** While a change waits for the PM agent: Cancel ends the page's wait (the resolver's own is bounded). */
function WaitingBar({ onCancel }: { onCancel: () => void }) {
  return (
    <Inline space="space.100" alignBlock="center">
      <Spinner label="Waiting for the PM agent" />
      <Text>Waiting for the PM agent…</Text>
      <Button testId="cancel-change" onClick={onCancel}>
        Cancel
      </Button>
    </Inline>
  );
}

/**
 * The admin page: the backend connection (kept in this app), and the agent's settings and audit
 * trail (kept by the backend, which audits every change). Every call goes through the resolvers,
 * which refuse anyone who is not a Jira admin.
 */
export function AdminPageApp() {
  const [page, setPage] = useState<Loaded<{ connection: ConnectionView }>>({ status: 'loading' });
  const [settings, setSettings] = useState<Loaded<{ view: SettingsView; draft: Settings }>>({ status: 'loading' });
  const [audit, setAudit] = useState<Loaded<{ entries: AuditEntry[]; more: boolean }>>({ status: 'loading' });
  const [busyWith, setBusyWith] = useState<Busy>();
  const busy = busyWith !== undefined;
  // The page's own waits: Cancel stops waiting at once; the backend call runs its course.
  const { start: startWait, stop: stopWait } = useWaits();
  const loads = useRef(0);
  const [connectionOutcome, setConnectionOutcome] = useState<Outcome>();
  const [checks, setChecks] = useState<ConnectionCheck[]>();
  const [settingsOutcome, setSettingsOutcome] = useState<Outcome>();
  const [fieldProblems, setFieldProblems] = useState<Record<string, string | undefined>>({});
  const [pauseOutcome, setPauseOutcome] = useState<Outcome>();

  const loadBackendData = useCallback(async () => {
    setSettings({ status: 'loading' });
    const wait = { signal: startWait('load'), error: CANCELLED.read };
    const load = ++loads.current;
    const [s, a] = await Promise.all([call('getSettings', {}, wait), call('getAudit', {}, wait)]);
    // A later load replaced this one (it was stopped for it, not by the person): the later one answers.
    if (load !== loads.current) return;
    setSettings(s.ok ? { status: 'loaded', view: s.view, draft: s.view.settings } : { status: 'failed', error: s.error });
    setAudit(a.ok ? { status: 'loaded', entries: a.entries, more: a.more } : { status: 'failed', error: a.error });
  }, [startWait]);

  useEffect(() => {
    void (async () => {
      const res = await call('getAdminConfig', {});
      if (!res.ok) return setPage({ status: 'failed', error: res.error });
      setPage({ status: 'loaded', connection: res.connection });
      await loadBackendData();
    })();
  }, [loadBackendData]);

  async function busyWhile<T>(part: Exclude<Busy, undefined>, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    setBusyWith(part);
    try {
      return await work(startWait('change'));
    } finally {
      setBusyWith(undefined);
    }
  }

  const saveConnection = (input: PayloadOf<'saveConnection'>) =>
    busyWhile('connection', async (signal) => {
      setChecks(undefined);
      const res = await call('saveConnection', input, { signal, error: CANCELLED.change });
      if (!res.ok) {
        setConnectionOutcome({ error: res.error });
        return false;
      }
      setPage({ status: 'loaded', connection: res.connection });
      setConnectionOutcome({ note: 'Connection saved. Use Test connection to check it.' });
      void loadBackendData(); // with the new connection
      return true;
    });

  const testConnection = () =>
    void busyWhile('connection', async (signal) => {
      setConnectionOutcome(undefined);
      const res = await call('testConnection', {}, { signal, error: CANCELLED.check });
      if (res.ok) setChecks(res.checks);
      else setConnectionOutcome({ error: res.error });
    });

  const refreshAudit = async () => {
    const a = await call('getAudit', {});
    if (a.ok) setAudit({ status: 'loaded', entries: a.entries, more: a.more });
  };

  /** Sends the version the draft started from: a change based on an old view is refused, and the page shows the current settings. */
  const saveSettings = (draft: Settings, version: number) =>
    void busyWhile('settings', async (signal) => {
      setSettingsOutcome(undefined);
      const res = await call('saveSettings', { settings: draft, version }, { signal, error: CANCELLED.change });
      if (!res.ok) {
        const now = res.error.currentSettings;
        if (now) setSettings({ status: 'loaded', view: now, draft: now.settings });
        return setSettingsOutcome({ error: inWords(res.error) });
      }
      setSettings({ status: 'loaded', view: res.view, draft: res.view.settings });
      setSettingsOutcome({ note: `Settings saved (version ${res.view.version}). The change is in the audit trail.` });
      void refreshAudit(); // the change has its answer: the page stops waiting while the trail refreshes
    });

  /** The emergency stop: saves only the pause switch, at once, on top of the settings as stored. */
  const setPaused = (paused: boolean) =>
    void busyWhile('pause', async (signal) => {
      if (settings.status !== 'loaded') return;
      setPauseOutcome(undefined);
      const wait = { signal, error: CANCELLED.change };
      let res = await call('saveSettings', { settings: { ...settings.view.settings, paused }, version: settings.view.version }, wait);
      // An emergency stop must not lose to a concurrent save: apply it on top of the settings as now stored.
      const now = !res.ok ? res.error.currentSettings : undefined;
      if (now) res = await call('saveSettings', { settings: { ...now.settings, paused }, version: now.version }, wait);
      if (!res.ok) return setPauseOutcome({ error: inWords(res.error) });
      // Keep the admin's unsaved edits; only the pause switch changed.
      setSettings({ status: 'loaded', view: res.view, draft: { ...settings.draft, paused } });
      setPauseOutcome({ note: paused ? 'Paused. Nothing runs, hold timers included, until you resume it.' : 'Resumed. Actions run again as the autonomy level and boundaries allow.' });
      void refreshAudit(); // the change has its answer: the page stops waiting while the trail refreshes
    });

  if (page.status === 'loading') return <Spinner label="Loading the PM agent settings" />;
  if (page.status === 'failed') return <ErrorMessage error={page.error} />;

  const edit = (draft: Settings) => settings.status === 'loaded' && setSettings({ ...settings, draft });
  const invalid = Object.values(fieldProblems).some(Boolean);
  const unchanged = settings.status === 'loaded' && JSON.stringify(settings.draft) === JSON.stringify(settings.view.settings);

  return (
    <Stack space="space.400">
      {settings.status === 'loaded' ? <PauseSection paused={settings.view.settings.paused} busy={busy} outcome={pauseOutcome} onChange={setPaused} /> : null}
      {busyWith === 'pause' ? <WaitingBar onCancel={() => stopWait('change')} /> : null}
      <InboxLink />
      <ConnectionSection connection={page.connection} busy={busy} outcome={connectionOutcome} checks={checks} onSave={saveConnection} onTest={testConnection} />
      {busyWith === 'connection' ? <WaitingBar onCancel={() => stopWait('change')} /> : null}
      {settings.status === 'loading' ? <LoadingView what="the agent’s settings" onCancel={() => stopWait('load')} /> : null}
      {settings.status === 'failed' ? <ErrorMessage error={settings.error} onRetry={() => void loadBackendData()} /> : null}
      {settings.status === 'loaded' ? (
        <Stack space="space.300">
          <PolicySection draft={settings.draft} onChange={edit} onValidity={(f, problem) => setFieldProblems((p) => ({ ...p, [f]: problem }))} />
          <ApproversSection approvers={settings.draft.approvers} onChange={(approvers) => edit({ ...settings.draft, approvers })} onValidity={(problem) => setFieldProblems((p) => ({ ...p, approvers: problem }))} />
          <Inline space="space.100" alignBlock="center">
            <Button appearance="primary" isDisabled={busy || invalid || unchanged} onClick={() => saveSettings(settings.draft, settings.view.version)}>
              Save settings
            </Button>
            <Text>
              {invalid
                ? 'Fix the fields marked above to save.'
                : unchanged
                  ? 'No unsaved changes.'
                  : settings.view.updatedAt
                    ? `Last changed ${formatWhen(settings.view.updatedAt)} (version ${settings.view.version}).`
                    : 'Never changed: these are the defaults.'}
            </Text>
          </Inline>
          {busyWith === 'settings' ? <WaitingBar onCancel={() => stopWait('change')} /> : null}
          <OutcomeView outcome={settingsOutcome} />
        </Stack>
      ) : null}
      {audit.status === 'loaded' ? <AuditSection entries={audit.entries} more={audit.more} approvers={settings.status === 'loaded' ? settings.view.settings.approvers : []} /> : null}
      {audit.status === 'failed' && settings.status !== 'failed' ? <ErrorMessage error={audit.error} /> : null}
    </Stack>
  );
}
