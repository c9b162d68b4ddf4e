import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsClient } from 'aws4fetch';
import { IDENTITY_HEADERS, type Suggestion } from '@pm-agent/shared';
import { verifyAuditTrail } from '@pm-agent/dev-stack/src/cli/audit-verify';
import { DYNAMODB_LOCAL_CREDENTIALS, DYNAMODB_LOCAL_REGION, startDynamoDbLocal, type DynamoDbLocal } from '@pm-agent/dev-stack/src/dynamodb-local';
import { LOCAL_USER } from '@pm-agent/dev-stack/src/local-stack/seed';
import { DynamoStore } from '../../src/store/dynamodb/dynamodb-store';

/**
 * Killing the stack in the middle of a burst of approvals on DynamoDB, then restarting: nothing
 * answered as committed is lost, nothing is half-written, and the audit trail still verifies.
 * The backend runs in its own process and is killed with SIGKILL. DynamoDB Local stands for the
 * managed service, which a crash of the stack does not take down; it is then stopped and started
 * again on the same data directory. (DynamoDB Local itself, killed with SIGKILL, can lose writes
 * it had acknowledged: it is a development tool, not a durable database; tried, written down.)
 */
const ROOT = join(__dirname, '../../..');
const TABLES = { main: 'burst-main', audit: 'burst-audit' };

function startBackend(home: string, endpoint: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'burst-backend.ts'), home, endpoint, TABLES.main, TABLES.audit], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`backend exited (${code}) before it was ready: ${out}`)));
  });
}

describe('kill during a burst of approvals on DynamoDB', () => {
  let home: string;
  let local: DynamoDbLocal | undefined;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'pm-agent-burst-'));
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await local?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('loses nothing committed and leaves the audit trail verifiable', async () => {
    const dataDir = join(home, 'dynamodb');
    local = await startDynamoDbLocal({ dataDir });
    const started = await startBackend(home, local.endpoint);
    child = started.child;
    const { principals, region, service } = JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as { principals: Record<'agent' | 'forge', { accessKeyId: string; secretAccessKey: string }>; region: string; service: string };
    const agent = new AwsClient({ ...principals.agent, region, service, retries: 0 });
    const forge = new AwsClient({ ...principals.forge, region, service, retries: 0 });
    const post = (c: AwsClient, path: string, body: unknown, headers: Record<string, string> = {}) =>
      c.fetch(started.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), aws: { allHeaders: true } } as RequestInit);

    const made: Suggestion[] = [];
    for (let i = 0; i < 30; i += 1) {
      const res = await post(agent, '/v1/suggestions', { actionType: 'jira_comment', payload: { issueKey: 'ABC-9', body: `burst ${i}` }, rationale: 'burst', provenance: { source: 'agent', ref: `r${i}`, excerpt: '' } });
      expect(res.status).toBe(201);
      made.push(((await res.json()) as { suggestion: Suggestion }).suggestion);
    }

    const answered: string[] = [];
    let killed = false;
    const identity = { [IDENTITY_HEADERS.accountId]: LOCAL_USER.accountId, [IDENTITY_HEADERS.site]: LOCAL_USER.site };
    await Promise.all(
      made.map(async (s) => {
        try {
          const res = await post(forge, `/v1/suggestions/${s.id}/approve`, { payloadHash: s.payloadHash }, identity);
          if (res.status === 200) answered.push(s.id);
          // Kill the whole stack as soon as a few approvals were answered, with the rest in flight.
          if (answered.length >= 5 && !killed) {
            killed = true;
            child!.kill('SIGKILL');
          }
        } catch {
          // cut off by the kill
        }
      }),
    );
    expect(killed).toBe(true);
    expect(answered.length).toBeGreaterThanOrEqual(5);

    await new Promise((r) => (child!.exitCode !== null || child!.signalCode !== null ? r(null) : child!.once('exit', r)));
    await local.stop();
    local = await startDynamoDbLocal({ dataDir });
    const store = new DynamoStore({ region: DYNAMODB_LOCAL_REGION, endpoint: local.endpoint, credentials: DYNAMODB_LOCAL_CREDENTIALS, tables: TABLES });
    try {
      for (const id of answered) expect((await store.getSuggestion(id))!.state).toBe('approved');
      const { entries } = await store.readAuditChain();
      // Nothing half-written: every suggestion is approved exactly when its approval is in the trail.
      for (const s of made) {
        const approvals = entries.filter((e) => e.action === 'suggestion.approved' && e.subject === s.id).length;
        expect(approvals).toBe((await store.getSuggestion(s.id))!.state === 'approved' ? 1 : 0);
      }
      const report = await verifyAuditTrail(store, join(home, 'audit-anchor.jsonl'));
      expect(report).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  }, 180_000);
});
