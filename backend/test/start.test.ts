import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsFileSchema } from '@pm-agent/dev-stack';

/** `npm start`'s script as a real process: backend, Jira double and local host up, credentials written, stops cleanly on SIGINT. */
const ROOT = join(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Health answers, or the stack exits: the deadline is only a backstop (how fast it starts is the bench's business). */
async function waitForHealth(url: string, child: ChildProcess, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the stack exited early with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no health answer within ${ms / 1000} s`);
}

async function until(ok: () => boolean, child: ChildProcess, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (child.exitCode !== null || Date.now() > end) throw new Error('the stack did not finish starting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start', () => {
  const home = mkdtempSync(join(tmpdir(), 'pm-agent-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    // The whole process group: tsx runs start.ts in a child of its own, which would outlive tsx
    // alone, keep this test's pipes open and so keep jest from exiting.
    if (child?.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    rmSync(home, { recursive: true, force: true });
  });

  it('answers /v1/health, writes credentials.json, and stops cleanly on Ctrl-C', async () => {
    const [port, jiraPort, hostPort] = [await freePort(), await freePort(), await freePort()];
    child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'local-host/src/start.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), JIRA_DOUBLE_PORT: String(jiraPort), LOCAL_HOST_PORT: String(hostPort), PM_AGENT_HOME: home, ANTHROPIC_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a failed test can stop all of it (afterAll)
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    await waitForHealth(`http://127.0.0.1:${port}`, child);

    await until(() => out.includes('Press Ctrl-C'), child);
    expect((await fetch(`http://127.0.0.1:${hostPort}/`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${jiraPort}/rest/api/3/issue/ABC-123`)).status).toBe(401); // the Jira double, wanting its token
    const creds = CredentialsFileSchema.parse(JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')));
    expect(creds).toMatchObject({ endpoint: `http://127.0.0.1:${port}`, region: 'local', service: 'execute-api' });
    expect(statSync(join(home, 'credentials.json')).mode & 0o077).toBe(0);
    expect(existsSync(join(home, 'pm-agent.sqlite'))).toBe(true);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('GET /v1/health principal=- status=200');
    expect(out).toContain('Stopped cleanly.');
    expect(out).not.toContain(creds.principals.forge.secretAccessKey);
  }, 240_000);
});
