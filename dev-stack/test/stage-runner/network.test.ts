import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STAGE_POLICIES } from '../../src/stage-runner/policies';
import { StageRunner, networkNamespaceTool } from '../../src/stage-runner/runner';
import { startTestBackend, type TestBackend } from '@pm-agent/backend/test/support/local-backend';

/**
 * Triage stages have no network but the model's host. A probe running under the sanitise policy
 * tries fetch, net, tls, http, dns, udp and a child process against the real local backend's dev
 * issuer and STS and another loopback service; every attempt fails, while its fetch to the model
 * origin goes through the runner's relay (and a redirect away from it is not followed). The same
 * probe under the execute policy (which must reach Jira) shows the probe is not vacuous.
 */
const dir = mkdtempSync(join(tmpdir(), 'pm-agent-network-'));
let backend: TestBackend;
let model: Server;
let modelOrigin: string;
let modelHits: string[] = [];
const runners: StageRunner[] = [];

beforeAll(async () => {
  backend = await startTestBackend();
  model = createServer((req, res) => {
    modelHits.push(`${req.method} ${req.url}`);
    if (req.url === '/redirect') return res.writeHead(302, { location: `${backend.url}/v1/health` }).end();
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('model ok'));
  });
  await new Promise<void>((r) => model.listen(0, '127.0.0.1', () => r()));
  modelOrigin = `http://127.0.0.1:${(model.address() as AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
  await new Promise<void>((r) => model.close(() => r()));
  await backend.stop();
  rmSync(dir, { recursive: true, force: true });
});

function runner(networkNamespace: boolean): StageRunner {
  const r = new StageRunner({
    cacheDir: join(dir, `bundles-${networkNamespace}`),
    secrets: { ANTHROPIC_API_KEY: 'model-key', JIRA_BASE_URL: 'http://127.0.0.1:1', JIRA_EMAIL: 'x@example.com', JIRA_API_TOKEN: 'jira' },
    modelOrigins: [modelOrigin],
    networkNamespace,
    extraStages: {
      probeAsSanitise: { ...STAGE_POLICIES.sanitise, entry: join(__dirname, 'network-probe-stage.ts') },
      probeAsExecute: { ...STAGE_POLICIES.execute, entry: join(__dirname, 'network-probe-stage.ts') },
    },
  });
  runners.push(r);
  return r;
}

type Result = { ok: boolean; code?: string; detail?: string };
const targets = () => ({ devToken: `${backend.url}/v1/dev/token`, sts: `${backend.url}/v1/sts`, host: `${backend.url}/v1/health`, model: modelOrigin });
const WAYS_OUT = ['fetchDevToken', 'fetchSts', 'fetchHost', 'netConnect', 'socketConnect', 'tlsConnect', 'httpRequest', 'dnsLookup', 'dnsPromises', 'udp', 'childCurl'] as const;

describe('a triage stage has no network but the model’s host', () => {
  it.each([
    ['the in-process lock-down alone', false],
    ['the lock-down in an empty network namespace (where the machine allows it)', true],
  ])('%s: every way to the local stack fails; the model origin answers through the relay', async (_what, namespace) => {
    const r = runner(namespace);
    modelHits = [];
    const probe = (await r.call('probeAsSanitise', targets(), 30_000)) as Record<string, Result>;
    for (const way of WAYS_OUT) expect({ way, ...probe[way] }).toMatchObject({ way, ok: false });
    expect(probe.fetchModel).toEqual({ ok: true, detail: 'HTTP 200 model ok' });
    expect(probe.fetchModelRedirect).toEqual({ ok: true, detail: 'HTTP 302' }); // handed back, not followed off the model host
    expect(modelHits).toEqual(['POST /v1/messages', 'GET /redirect']);
    expect(r.inNetworkNamespace('probeAsSanitise')).toBe(namespace && networkNamespaceTool() !== null);
    // Nothing reached the backend from the stage: no token was minted, no STS call made.
    expect(backend.logs.filter((l) => /\/v1\/(dev\/token|sts)/.test(l))).toEqual([]);
  }, 60_000);

  it('control: the same probe under the execute policy (network open, for Jira) does reach the backend', async () => {
    const probe = (await runner(true).call('probeAsExecute', targets(), 30_000)) as Record<string, Result>;
    expect(probe.netConnect).toEqual({ ok: true, detail: 'connected' });
    expect(probe.fetchHost).toEqual({ ok: true, detail: 'HTTP 200' });
    expect(probe.fetchModel).toMatchObject({ ok: true });
  }, 60_000);
});
