import { fork, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { bundleStage } from './bundle';
import { STAGE_POLICIES, stageEnv, type StagePolicy } from './policies';
import { StageReplySchema, type StageRequest } from '@pm-agent/backend/stages';

/**
 * The local stand-in for Step Functions: starts each stage as its own OS process with only its
 * own secret in its environment, hands work over IPC (no shared memory), and restarts a stage
 * that died. Triage stages run under Node's permission model with file reads limited to their
 * own bundled code and no child processes.
 */
export class StageCrashed extends Error {
  constructor(stage: string, detail: string) {
    super(`the ${stage} stage stopped unexpectedly (${detail})`);
    this.name = 'StageCrashed';
  }
}

export class StageTimeout extends Error {
  constructor(stage: string, ms: number) {
    super(`the ${stage} stage did not answer within ${ms} ms`);
    this.name = 'StageTimeout';
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Node 22 renamed the flag; Node 20 has only the experimental one. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

class StageProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private readonly pending = new Map<string, Pending>();
  private seq = 0;

  constructor(
    readonly name: string,
    private readonly policy: StagePolicy,
    private readonly opts: StageRunnerOptions,
  ) {}

  async call(input: unknown, timeoutMs: number): Promise<unknown> {
    await this.ensureStarted();
    const id = `${this.name}-${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new StageTimeout(this.name, timeoutMs));
        this.kill(); // a stage that stopped answering is not trusted to answer later
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const request: StageRequest = { type: 'request', id, input };
      this.child!.send(request);
    });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
  }

  private ensureStarted(): Promise<void> {
    if (this.ready && this.child && this.child.exitCode === null && this.child.signalCode === null) return this.ready;
    this.ready = this.spawn();
    return this.ready;
  }

  private async spawn(): Promise<void> {
    const file = await bundleStage(this.name, this.policy.entry, this.opts.cacheDir);
    const execArgv = this.policy.restrictFs ? [PERMISSION_FLAG, `--allow-fs-read=${dirname(file)}/`] : [];
    const child = fork(file, [], { env: stageEnv(this.policy, this.opts.secrets), execArgv, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => this.opts.log?.(`[${this.name}] ${d.toString('utf8').trim().slice(0, 500)}`));
    child.on('message', (m: unknown) => this.onMessage(m));
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
    await new Promise<void>((resolve, reject) => {
      const onReady = (m: unknown) => {
        if ((m as { type?: string })?.type !== 'ready') return;
        child.off('message', onReady);
        resolve();
      };
      child.on('message', onReady);
      child.once('exit', (code, signal) => reject(new StageCrashed(this.name, `exited before it was ready: ${signal ?? code}`)));
    });
  }

  private onMessage(m: unknown): void {
    const reply = StageReplySchema.safeParse(m);
    if (!reply.success) return;
    const p = this.pending.get(reply.data.id);
    if (!p) return;
    this.pending.delete(reply.data.id);
    clearTimeout(p.timer);
    if (reply.data.ok) p.resolve(reply.data.output);
    else p.reject(new Error(`the ${this.name} stage failed: ${reply.data.error}`));
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new StageCrashed(this.name, signal ?? `exit code ${code}`));
      this.pending.delete(id);
    }
    this.child = undefined;
    this.ready = undefined;
  }
}

export interface StageRunnerOptions {
  /** Where stage bundles are built and cached. */
  cacheDir: string;
  /** Every secret the runner holds; each stage receives only those its policy names. */
  secrets: Record<string, string | undefined>;
  log?: (line: string) => void;
  /** Extra stages (tests use this to run a probe under a real stage's policy). */
  extraStages?: Record<string, StagePolicy>;
}

export class StageRunner {
  private readonly stages = new Map<string, StageProcess>();

  constructor(private readonly opts: StageRunnerOptions) {
    const policies: Record<string, StagePolicy> = { ...STAGE_POLICIES, ...opts.extraStages };
    for (const [name, policy] of Object.entries(policies)) this.stages.set(name, new StageProcess(name, policy, opts));
  }

  call(stage: string, input: unknown, timeoutMs = 30_000): Promise<unknown> {
    return this.get(stage).call(input, timeoutMs);
  }

  pid(stage: string): number | undefined {
    return this.get(stage).pid;
  }

  /** Kills a stage at once (tests use this to crash execute mid-action); the next call restarts it. */
  kill(stage: string): void {
    this.get(stage).kill();
  }

  async close(): Promise<void> {
    await Promise.all([...this.stages.values()].map((s) => s.stop()));
  }

  private get(stage: string): StageProcess {
    const s = this.stages.get(stage);
    if (!s) throw new Error(`no stage named ${stage}`);
    return s;
  }
}
