import { resolve } from 'node:path';
import { SigV4Authenticator } from '../auth/sigv4-authenticator';
import { expireDue } from '../domain/suggestions';
import { SYSTEM_ACTOR } from '../domain/caller';
import { createApp, type App } from '../http/app';
import { serve } from '../http/node-server';
import { DevIssuer } from '../local/dev-issuer';
import { SessionSealer } from '../local/session-tokens';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { LOCAL, prepareLocalFiles, principalKeys, writeCredentials, type LocalFiles } from './local-files';
import { seedIfEmpty } from './seed';

export const VERSION = '0.1.0';
export const DEFAULT_HOME = resolve(__dirname, '../../../.local');

export interface LocalBackendOptions {
  home?: string;
  /** 0 picks a free port. */
  port?: number;
  seed?: boolean;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface LocalBackend {
  url: string;
  files: LocalFiles;
  app: App;
  store: SqliteStore;
  close(): Promise<void>;
}

/** The whole backend on one machine: SQLite store, SigV4 verifier, dev identity provider and STS. */
export async function startLocalBackend(opts: LocalBackendOptions = {}): Promise<LocalBackend> {
  const home = opts.home ?? DEFAULT_HOME;
  const now = opts.now ?? (() => new Date());
  let files = prepareLocalFiles(home);
  const store = new SqliteStore(files.dbFile);
  if (opts.seed !== false) await seedIfEmpty(store, now);

  const sealer = new SessionSealer(Buffer.from(files.serverKeys.sessionSealKey, 'base64url'));
  let issuer: DevIssuer | undefined;
  const app = createApp({
    store,
    now,
    mode: 'local',
    version: VERSION,
    log: opts.log,
    authenticator: new SigV4Authenticator(principalKeys(files.credentials), { region: LOCAL.region, service: LOCAL.service, now, sessions: sealer }),
    get local() {
      return issuer ? { issuer, sts: { issuer, sealer, outlookRoleArn: LOCAL.outlookRoleArn, now } } : undefined;
    },
  });
  const server = await serve(app, { port: opts.port ?? 8787 }).catch(async (e: NodeJS.ErrnoException) => {
    await store.close();
    throw e.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is already in use: stop whatever uses it, or pick another with PORT=…`) : e;
  });
  issuer = new DevIssuer(files.serverKeys.devIssuerPrivateKeyPem, `${server.url}/v1/dev`, LOCAL.audience);
  files = writeCredentials(files, server.url);

  const sweep = setInterval(() => void expireDue({ store, now }, SYSTEM_ACTOR).catch((e) => opts.log?.(`expiry sweep failed: ${(e as Error).message}`)), 60_000);
  sweep.unref();

  return {
    url: server.url,
    files,
    app,
    store,
    async close() {
      clearInterval(sweep);
      await server.close();
      await store.close();
    },
  };
}
