import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGE_POLICIES } from '../../src/stage-runner/policies';
import { StageRunner, StageRunnerStopped } from '../../src/stage-runner/runner';

/**
 * A runner starts one process per stage however many calls arrive while it starts, and once
 * stopped it leaves no process behind and starts none again. (Two calls racing the first start
 * each spawned a process, and the orphan outlived the test run: jest never exited in CI.)
 */
const dir = mkdtempSync(join(tmpdir(), 'pm-agent-lifecycle-'));
const runner = new StageRunner({
  cacheDir: join(dir, 'bundles'),
  secrets: {},
  extraStages: { pidStage: { ...STAGE_POLICIES.execute, entry: join(__dirname, 'pid-stage.ts') } },
});
afterAll(async () => {
  await runner.close();
  rmSync(dir, { recursive: true, force: true });
});

/** This process's children whose command line runs a bundle under this test's directory. */
function stageChildren(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.includes(dir))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe('stage process lifecycle', () => {
  it('calls that arrive while the stage starts share one process', async () => {
    const answers = (await Promise.all([1, 2, 3, 4].map(() => runner.call('pidStage', {}, 20_000)))) as Array<{ pid: number }>;
    expect(new Set(answers.map((a) => a.pid)).size).toBe(1);
    expect(stageChildren()).toEqual([answers[0]!.pid]);
  });

  it('a stopped runner leaves no process and starts none for a later call', async () => {
    await runner.close();
    expect(stageChildren()).toEqual([]);
    await expect(runner.call('pidStage', {}, 20_000)).rejects.toBeInstanceOf(StageRunnerStopped);
    expect(stageChildren()).toEqual([]);
  });
});
