import { join, resolve } from 'node:path';
import { localKeys, outlookTokenVerifier, type OutlookTokenVerifier } from '@pm-agent/backend/api';
import { SigV4Authenticator } from '../api-gateway/sigv4-authenticator';
import { SYSTEM_ACTOR } from '@pm-agent/backend/domain';
import { expireDue } from '@pm-agent/backend/domain';
import { ExecutionDispatcher } from '@pm-agent/backend/api';
import type { ExecuteJob } from '@pm-agent/backend/contracts';
import { createApp, type App } from '@pm-agent/backend/api';
import { serve } from '@pm-agent/backend/api';
import { DevIssuer } from '../identity/dev-issuer';
import { localIdentityRoutes } from '../identity/routes';
import { startJiraDouble, type JiraDouble } from '../jira-double';
import { SessionSealer } from '../identity/session-tokens';
import { StageRunner } from '../stage-runner/runner';
import type { Store } from '@pm-agent/backend/store';
import { openLocalStore, type LocalStoreChoice } from './local-store';
import { modelSettingsFromEnv } from '@pm-agent/backend/api';
import { DEFAULT_HOME, LOCAL, prepareLocalFiles, principalKeys, writeCredentials, type LocalFiles } from './local-files';
import type { TriageStage } from '@pm-agent/backend/api';
import { ANTHROPIC_API_URL } from '@pm-agent/backend/stages';
import { seedIfEmpty } from './seed';

export const VERSION = '0.1.0';
export { DEFAULT_HOME } from './local-files';
/** The organisation's own mail domains: mail from them is from a stakeholder, not an outsider. */
export const LOCAL_INTERNAL_DOMAINS = ['example.com'];

export interface LocalBackendOptions {
  home?: string;
  /** SQLite (the default) or DynamoDB Local. */
  store?: LocalStoreChoice;
  /** 0 picks a free port. */
  port?: number;
  seed?: boolean;
  log?: (line: string) => void;
  now?: () => Date;
  /**
   * Run the triage and execute stages as processes, with the Jira double (on `jiraPort`, 0 = any free
   * port). Off, the API still answers but nothing is triaged or executed.
   */
  stages?: boolean;
  jiraPort?: number;
  /** An already-running Jira double to use (and leave running) instead of starting one. */
  jiraDouble?: JiraDouble;
  /** Model settings (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, PM_AGENT_MODEL…); defaults to process.env. */
  modelEnv?: Record<string, string | undefined>;
  /** Browser origins allowed to call the API (the local host's Outlook pane). */
  corsOrigins?: readonly string[];
  /** How often the dispatcher looks for due work, in ms. */
  pollMs?: number;
}

export interface LocalBackend {
  url: string;
  files: LocalFiles;
  app: App;
  store: Store;
  jira?: JiraDouble;
  runner?: StageRunner;
  dispatcher?: ExecutionDispatcher;
  close(): Promise<void>;
}

/**
 * The whole backend on one machine: SQLite store (or DynamoDB Local, see local-store.ts), SigV4 verifier, dev identity provider and STS,
 * and (with `stages`) the isolated triage and execute stages with the Jira double.
 */
export async function startLocalBackend(opts: LocalBackendOptions = {}): Promise<LocalBackend> {
  const home = opts.home ?? DEFAULT_HOME;
  const now = opts.now ?? (() => new Date());
  let files = prepareLocalFiles(home);
  const opened = await openLocalStore(opts.store ?? { kind: 'sqlite' }, home, files.dbFile, opts.log);
  const store = opened.store;
  const closers: Array<() => Promise<void>> = [() => opened.close()];
  let closed = false;
  const closeAll = async () => {
    if (closed) return;
    closed = true;
    for (const close of [...closers].reverse()) await close().catch(() => undefined);
  };
  try {
    if (opts.seed !== false) await seedIfEmpty(store, now);
    const workers = opts.stages ? await startWorkers(opts, files, store, now, closers) : undefined;

    const sealer = new SessionSealer(Buffer.from(files.serverKeys.sessionSealKey, 'base64url'));
    let issuer: DevIssuer | undefined;
    // The same token check as on AWS, against the dev issuer's keys (known once the server has its URL).
    let tokens: OutlookTokenVerifier | undefined;
    const outlookTokens: OutlookTokenVerifier = {
      verify: (token, at) => (tokens ? tokens.verify(token, at) : Promise.resolve({ ok: false, reason: 'the dev issuer is not running yet' })),
    };
    const app = createApp({
      store,
      now,
      mode: 'local',
      version: VERSION,
      log: opts.log,
      authenticator: new SigV4Authenticator(principalKeys(files.credentials), { region: LOCAL.region, service: LOCAL.service, now, sessions: sealer, identify: { outlookTokens } }),
      extraRoutes: localIdentityRoutes(() => (issuer ? { issuer, signInSecret: files.devSignInSecret, sts: { issuer, sealer, outlookRoleArn: LOCAL.outlookRoleArn, now } } : undefined)),
      triage: workers?.triage,
      corsOrigins: opts.corsOrigins,
      afterChange: workers ? () => void workers.dispatcher.kick() : undefined,
    });
    const server = await serve(app, { port: opts.port ?? 8787 }).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is already in use: stop whatever uses it, or pick another with PORT=…`) : e;
    });
    closers.push(() => server.close());
    issuer = new DevIssuer(files.serverKeys.devIssuerPrivateKeyPem, `${server.url}/v1/dev`, LOCAL.audience);
    tokens = outlookTokenVerifier({ issuer: issuer.issuer, audience: LOCAL.audience }, localKeys(issuer.jwks()));
    files = writeCredentials(files, server.url);

    const sweep = setInterval(() => void expireDue({ store, now }, SYSTEM_ACTOR).catch((e) => opts.log?.(`expiry sweep failed: ${(e as Error).message}`)), 60_000);
    sweep.unref();
    closers.push(async () => clearInterval(sweep));
    workers?.dispatcher.start();

    return { url: server.url, files, app, store, jira: workers?.jira, runner: workers?.runner, dispatcher: workers?.dispatcher, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}

async function startWorkers(opts: LocalBackendOptions, files: LocalFiles, store: Store, now: () => Date, closers: Array<() => Promise<void>>) {
  const { JIRA_EMAIL, JIRA_API_TOKEN } = files.stageSecrets;
  const jira =
    opts.jiraDouble ??
    (await startJiraDouble({ port: opts.jiraPort ?? 8789, email: JIRA_EMAIL, apiToken: JIRA_API_TOKEN, log: opts.log }).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'EADDRINUSE' ? new Error(`port ${opts.jiraPort ?? 8789} (the Jira double) is already in use: stop whatever uses it, or set JIRA_DOUBLE_PORT=…`) : e;
    }));
  if (!opts.jiraDouble) closers.push(() => jira.close());

  const modelEnv = opts.modelEnv ?? process.env;
  const model = modelSettingsFromEnv({ ...modelEnv, ANTHROPIC_API_KEY: modelEnv.ANTHROPIC_API_KEY ?? files.stageSecrets.ANTHROPIC_API_KEY });
  const runner = new StageRunner({
    cacheDir: join(files.home, 'stage-bundles'),
    secrets: { ...files.stageSecrets, ANTHROPIC_API_KEY: modelEnv.ANTHROPIC_API_KEY ?? files.stageSecrets.ANTHROPIC_API_KEY, JIRA_BASE_URL: jira.url },
    // The triage stages have no network of their own: the model API's origin is all the relay reaches.
    modelOrigins: [new URL(model.request?.baseURL ?? ANTHROPIC_API_URL).origin],
    log: opts.log,
  });
  closers.push(() => runner.close());

  const dispatcher = new ExecutionDispatcher({ store, now, log: opts.log, pollMs: opts.pollMs ?? 1_000, execute: (job: ExecuteJob) => runner.call('execute', job, 60_000) });
  closers.push(() => dispatcher.stop());

  return {
    jira,
    runner,
    dispatcher,
    triage: { stages: runner as { call(stage: TriageStage, input: unknown, timeoutMs?: number): Promise<unknown> }, model, classify: { internalDomains: LOCAL_INTERNAL_DOMAINS, defaultProjectKey: 'ABC' } },
  };
}
