import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isEgressMessage, relayEgress } from './egress-relay';
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

/** A call made after the runner was stopped: nothing is started again once `close` has begun. */
export class StageRunnerStopped extends Error {
  constructor(stage: string) {
    super(`the ${stage} stage is not running: the stage runner was stopped`);
    this.name = 'StageRunnerStopped';
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

const LOCKDOWN = join(dirname(require.resolve('@pm-agent/backend/package.json')), 'src/stages/host/egress-lockdown.ts');

/**
 * An empty network namespace (util-linux `unshare -rn`: a new user and network namespace, so no
 * privileges are needed) gives a model-only stage no interface but its own loopback: the host's
 * 127.0.0.1 services, STS and the dev issuer are not even routable from it. Not every machine
 * allows unprivileged user namespaces (macOS has none; some Linux distributions restrict them),
 * so it is a second layer over the in-process lock-down, used when it works.
 */
let namespaceTool: string | null | undefined;
export function networkNamespaceTool(): string | null {
  if (namespaceTool !== undefined) return namespaceTool;
  const tool = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p));
  namespaceTool = tool && spawnSync(tool, ['-rn', '--', process.execPath, '-e', ''], { stdio: 'ignore', timeout: 10_000 }).status === 0 ? tool : null;
  return namespaceTool;
}

/** Node 22 renamed the flag; Node 20 has only the experimental one. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

class StageProcess {
  private child: ChildProcess | undefined;
  /** The start in progress, shared by every call that arrives meanwhile (two starts would orphan a process). */
  private starting: Promise<void> | undefined;
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  /** Set by `stop`: work still queued behind a stopped runner must not start a process nobody will stop. */
  private stopped = false;
  /** Whether the running process was started in its own empty network namespace. */
  inNamespace = false;

  constructor(
    readonly name: string,
    private readonly policy: StagePolicy,
    private readonly opts: StageRunnerOptions,
  ) {}

  async call(input: unknown, timeoutMs: number): Promise<unknown> {
    if (this.stopped) throw new StageRunnerStopped(this.name);
    await this.ensureStarted();
    if (this.stopped) throw new StageRunnerStopped(this.name);
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

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // A process still starting is waited for, so it is stopped too rather than left behind.
    await this.starting?.catch(() => undefined);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    await exited;
  }

  private ensureStarted(): Promise<void> {
    // `connected` turns false as soon as a killed child's channel closes, before its exit is reported.
    if (this.starting) return this.starting;
    if (this.child && this.child.connected && this.child.exitCode === null && this.child.signalCode === null) return Promise.resolve();
    const starting = this.spawn().finally(() => {
      if (this.starting === starting) this.starting = undefined;
    });
    this.starting = starting;
    return starting;
  }

  private async spawn(): Promise<void> {
    const modelOnly = this.policy.network === 'model-only';
    const file = await bundleStage(this.name, this.policy.entry, this.opts.cacheDir, modelOnly ? LOCKDOWN : undefined);
    if (this.stopped) throw new StageRunnerStopped(this.name);
    const flags = this.policy.restrictFs ? [PERMISSION_FLAG, `--allow-fs-read=${dirname(file)}/`] : [];
    const unshare = modelOnly && this.opts.networkNamespace !== false ? networkNamespaceTool() : null;
    this.inNamespace = unshare !== null;
    const child = fork(file, [], {
      env: stageEnv(this.policy, this.opts.secrets),
      ...(unshare ? { execPath: unshare, execArgv: ['-rn', '--', process.execPath, ...flags] } : { execArgv: flags }),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
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
    if (isEgressMessage(m)) {
      // The only request a stage may make; a stage whose policy is not model-only gets nothing through.
      if (this.child) void relayEgress(this.child, m, this.policy.network === 'model-only' ? (this.opts.modelOrigins ?? []) : []);
      return;
    }
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
  /** The origins a model-only stage may reach through the relay: the model API's (e.g. https://api.anthropic.com). */
  modelOrigins?: readonly string[];
  /** Start model-only stages in an empty network namespace when the machine allows it (default); false: the in-process lock-down alone. */
  networkNamespace?: boolean;
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

  /** How many requests a stage has been sent and not yet answered (tests await conditions on it). */
  inFlight(stage: string): number {
    return this.get(stage).inFlight;
  }

  /** Whether a stage's current process runs in its own empty network namespace. */
  inNetworkNamespace(stage: string): boolean {
    return this.get(stage).inNamespace;
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
