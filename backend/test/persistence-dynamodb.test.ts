import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AwsClient } from 'aws4fetch';
import { IDENTITY_HEADERS, type Suggestion } from '@pm-agent/shared';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/dynamodb-local';
import { CredentialsFileSchema, LOCAL_USER } from '@pm-agent/dev-stack';
import { DynamoStore } from '../src/store/dynamodb/dynamodb-store';

/**
 * Killing the backend in the middle of a burst of approvals on DynamoDB loses nothing it answered
 * for, half-writes nothing, and leaves the audit chain verifiable. The backend is a real child
 * process that is SIGKILLed; DynamoDB Local keeps running, as DynamoDB does on AWS when a Lambda
 * instance dies (DynamoDB Local itself is known to lose acknowledged writes on SIGKILL).
 */
const ROOT = join(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const run = promisify(execFile);

const BURST = 60;
const KILL_AFTER = 15; // successful approvals before the kill
const WORKERS = 8;

let local: DynamoDbLocal;
let home: string;
const prefix = `t${randomBytes(5).toString('hex')}`;
const tables = { main: `${prefix}-main`, audit: `${prefix}-audit` };
const children: ChildProcess[] = [];

beforeAll(async () => {
  local = await startDynamoDbLocal({});
  home = mkdtempSync(join(tmpdir(), 'pm-agent-kill-'));
}, 90_000);
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((ok) => c.once('exit', ok)) : undefined)));
  await local?.stop();
  rmSync(home, { recursive: true, force: true });
}, 30_000);

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

async function startBackend(): Promise<Running> {
  // tsx as a loader in this very process (not tsx's CLI, which would run the backend in a grandchild the SIGKILL misses).
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'store/backend-process.ts')], {
    cwd: ROOT,
    env: { ...process.env, PM_AGENT_HOME: home, PM_AGENT_DYNAMODB_ENDPOINT: local.endpoint, PM_AGENT_DYNAMODB_TABLE: tables.main, PM_AGENT_DYNAMODB_AUDIT_TABLE: tables.audit },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise((ok) => child.once('exit', ok));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      const m = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`the backend process exited before it listened:\n${out}`)));
  });
  return { child, url, exited };
}

function clients() {
  const creds = CredentialsFileSchema.parse(JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')));
  const make = (keys: { accessKeyId: string; secretAccessKey: string }) => {
    const client = new AwsClient({ ...keys, region: creds.region, service: creds.service, retries: 0 });
    // Identity headers count only when signed: sign every header.
    return (url: string, init: RequestInit) => client.fetch(url, { ...init, aws: { allHeaders: true } } as RequestInit);
  };
  return { agent: make(creds.principals.agent), forge: make(creds.principals.forge) };
}

const forgeHeaders = { 'content-type': 'application/json', [IDENTITY_HEADERS.accountId]: LOCAL_USER.accountId, [IDENTITY_HEADERS.site]: LOCAL_USER.site };

type Signed = ReturnType<typeof clients>['forge'];

async function approve(forge: Signed, url: string, s: Suggestion): Promise<number> {
  const res = await forge(`${url}/v1/suggestions/${s.id}/approve`, { method: 'POST', headers: forgeHeaders, body: JSON.stringify({ payloadHash: s.payloadHash }) });
  await res.arrayBuffer();
  return res.status;
}

async function verifyCli(): Promise<{ code: number; out: string }> {
  const args = [TSX, join(ROOT, 'dev-stack/src/cli/audit-verify.ts'), '--dynamodb', tables.main, '--audit-table', tables.audit, '--endpoint', local.endpoint, '--anchor', join(home, 'audit-anchor.jsonl')];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: ROOT, env: { ...process.env, AWS_REGION: DYNAMODB_LOCAL_REGION } });
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

it('a SIGKILL in the middle of a burst of approvals loses nothing answered, half-writes nothing, and the audit chain verifies', async () => {
  let backend = await startBackend();
  const { agent } = clients();
  let { forge } = clients();
  const created: Suggestion[] = [];
  for (let i = 0; i < BURST; i += 1) {
    const res = await agent(`${backend.url}/v1/suggestions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actionType: 'jira_comment', payload: { issueKey: 'ABC-123', body: `Burst comment ${i}` }, rationale: 'burst', provenance: { source: 'agent', ref: `burst-${i}`, excerpt: '' } }),
    });
    expect(res.status).toBe(201);
    created.push(((await res.json()) as { suggestion: Suggestion }).suggestion);
  }
  expect(created.every((s) => s.state === 'pending')).toBe(true);

  // The burst: WORKERS approvers at once; the process is killed once KILL_AFTER approvals were answered.
  const answered = new Set<string>();
  const failed = new Set<string>();
  const queue = [...created];
  let killed = false;
  const { child } = backend;
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const status = await approve(forge, backend.url, s).catch(() => 0);
      if (status === 200) answered.add(s.id);
      else failed.add(s.id);
      if (answered.size >= KILL_AFTER && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  await backend.exited;
  expect(child.signalCode).toBe('SIGKILL');
  expect(answered.size).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(failed.size).toBeGreaterThan(0); // the kill really fell inside the burst

  // Restart on the same tables.
  backend = await startBackend();
  ({ forge } = clients());
  const store = new DynamoStore({ region: DYNAMODB_LOCAL_REGION, endpoint: local.endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, tables });
  try {
    const { entries } = await store.readAuditChain();
    const approvals = new Map<string, number>();
    for (const e of entries) if (e.action === 'suggestion.approved') approvals.set(e.subject, (approvals.get(e.subject) ?? 0) + 1);
    for (const s of created) {
      const now = (await store.getSuggestion(s.id))!;
      // Every approval that was answered 200 is stored.
      if (answered.has(s.id)) expect({ id: s.id, state: now.state }).toEqual({ id: s.id, state: 'approved' });
      // Nothing half-written: a suggestion is approved exactly when one approval entry is in the trail.
      expect({ id: s.id, state: now.state, entries: approvals.get(s.id) ?? 0 }).toEqual(
        now.state === 'approved' ? { id: s.id, state: 'approved', entries: 1 } : { id: s.id, state: 'pending', entries: 0 },
      );
      if (now.state === 'approved') expect(now.decision).toMatchObject({ kind: 'approved', by: { id: LOCAL_USER.accountId }, payloadHash: s.payloadHash });
    }
    expect((await verifyCli()).out).toMatch(/^Audit trail intact: \d+ entries/);

    // The restarted backend goes on: it approves what the kill left waiting, and the chain still verifies.
    const waiting = [];
    for (const s of created) if ((await store.getSuggestion(s.id))!.state === 'pending') waiting.push(s);
    expect(waiting.length).toBeGreaterThan(0);
    for (const s of waiting) expect(await approve(forge, backend.url, s)).toBe(200);
    const after = await verifyCli();
    expect(after.code).toBe(0);
    expect(after.out).toContain(`Audit trail intact: ${entries.length + waiting.length} entries`);
  } finally {
    await store.close();
    backend.child.kill('SIGTERM');
    await backend.exited;
  }
}, 180_000);
