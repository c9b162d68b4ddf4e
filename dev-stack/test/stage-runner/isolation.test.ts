import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGE_POLICIES } from '../../src/stage-runner/policies';
import { StageRunner } from '../../src/stage-runner/runner';

/** A triage stage cannot obtain the Jira secret by environment, file or IPC. */
const dir = mkdtempSync(join(tmpdir(), 'pm-agent-isolation-'));
const secretFile = join(dir, 'stage-secrets.json');
const JIRA_SECRET = 'jira-secret-do-not-leak-4711';
const secrets = { ANTHROPIC_API_KEY: 'model-key-for-triage-only', JIRA_API_TOKEN: JIRA_SECRET, JIRA_EMAIL: 'pm-agent@example.com', JIRA_BASE_URL: 'http://127.0.0.1:1' };
writeFileSync(secretFile, JSON.stringify({ execute: { JIRA_API_TOKEN: JIRA_SECRET } }));

const runner = new StageRunner({
  cacheDir: join(dir, 'bundles'),
  secrets,
  extraStages: {
    probeAsSanitise: { ...STAGE_POLICIES.sanitise, entry: join(__dirname, 'probe-stage.ts') },
    probeAsClassify: { ...STAGE_POLICIES.classify, entry: join(__dirname, 'probe-stage.ts') },
    probeAsExecute: { ...STAGE_POLICIES.execute, entry: join(__dirname, 'probe-stage.ts') },
  },
});
afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

type Probe = {
  envKeys: string[];
  envHasJira: boolean;
  readSecretsFile: { ok: boolean; code?: string };
  readOwnBundle: { ok: boolean };
  spawnChild: { ok: boolean; code?: string };
  askRunner: string;
};

describe('stage isolation', () => {
  it.each(['probeAsSanitise', 'probeAsClassify'])('%s: only the model key in its environment; no file outside its code; no child; IPC answers nothing', async (stage) => {
    const probe = (await runner.call(stage, { secretFile }, 20_000)) as Probe;
    expect(probe.envKeys).toEqual(['ANTHROPIC_API_KEY']);
    expect(probe.envHasJira).toBe(false);
    expect(probe.readSecretsFile).toEqual({ ok: false, code: 'ERR_ACCESS_DENIED' });
    expect(probe.readOwnBundle.ok).toBe(true);
    expect(probe.spawnChild).toEqual({ ok: false, code: 'ERR_ACCESS_DENIED' });
    expect(probe.askRunner).toBe('no answer');
    expect(JSON.stringify(probe)).not.toContain(JIRA_SECRET);
  });

  it('the execute stage gets the Jira credentials and not the model key, under the same file limits', async () => {
    const probe = (await runner.call('probeAsExecute', { secretFile }, 20_000)) as Probe;
    expect(probe.envKeys).toEqual(['JIRA_API_TOKEN', 'JIRA_BASE_URL', 'JIRA_EMAIL']);
    expect(probe.readSecretsFile.code).toBe('ERR_ACCESS_DENIED');
  });

  it('a killed stage is restarted on the next call, in a new process', async () => {
    await runner.call('probeAsSanitise', { secretFile }, 20_000);
    const before = runner.pid('probeAsSanitise');
    runner.kill('probeAsSanitise');
    await new Promise((r) => setTimeout(r, 100));
    await runner.call('probeAsSanitise', { secretFile }, 20_000);
    expect(runner.pid('probeAsSanitise')).not.toBe(before);
  });
});
