import { createServer } from 'node:net';
import type { Settings, Suggestion, CreateSuggestionRequest } from '@pm-agent/shared';
import { adfToText } from '@pm-agent/backend/jira';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { jsonPost, startTestBackend, type TestBackend } from '@pm-agent/backend/test/support/local-backend';
import { resolverDefinitions, type ResolverDefinitions } from '../../src/resolvers';
import { forgeContextFor, createMemoryPorts, type MemoryPorts } from '../../src/stand-ins';
import type { ForgeContext } from '../../src/resolvers/context';
import type { ModuleName } from '../../src/common/modules';

/** The seeded approver (on the backend's allow-list), a Jira user who is not, and a Jira admin. */
export const APPROVER = LOCAL_USER.accountId;
export const VIEWER = '712020:5b9c0d2e-not-an-approver';
export const ADMIN = '557058:0a1b2c3d-jira-admin';
export const CLOUD_ID = 'a436116f-02ce-4520-8fbb-7301462a1674';

/** The context Forge would hand a resolver for this person on this module. */
export function contextFor(module: ModuleName, accountId: string, issueKey = 'ABC-123'): ForgeContext {
  return forgeContextFor(module, { accountId, cloudId: CLOUD_ID, issueKey }).resolver;
}

export interface ForgeSetup {
  b: TestBackend;
  ports: MemoryPorts;
  defs: ResolverDefinitions;
}

/** Ports whose connection was entered the way an admin would: through the saveConnection resolver. */
export async function connectedPorts(b: TestBackend, keys = b.forgeKeys, options: Parameters<typeof createMemoryPorts>[0] = {}): Promise<{ ports: MemoryPorts; defs: ResolverDefinitions }> {
  const ports = createMemoryPorts({ admins: [ADMIN], ...options });
  const defs = resolverDefinitions(ports);
  const saved = await defs.saveConnection({ payload: { endpoint: b.url, region: b.files.credentials.region, ...keys }, context: contextFor('adminPage', ADMIN) });
  if (!saved.ok) throw new Error(`could not configure the test ports: ${saved.error.message}`);
  return { ports, defs };
}

export async function startForgeSetup(): Promise<ForgeSetup> {
  const b = await startTestBackend({ stages: true });
  const { ports, defs } = await connectedPorts(b);
  return { b, ports, defs };
}

/** The agent proposes something, as it would in production (signed as the agent principal). */
export async function propose(b: TestBackend, req: CreateSuggestionRequest): Promise<Suggestion> {
  const res = await b.call(b.agent, '/v1/suggestions', jsonPost(req));
  if (res.status !== 201) throw new Error(`agent could not propose: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { suggestion: Suggestion }).suggestion;
}

export function commentProposal(issueKey: string, body: string): CreateSuggestionRequest {
  return {
    actionType: 'jira_comment',
    payload: { issueKey, body },
    rationale: 'The customer asked for an update on this issue.',
    provenance: { source: 'email', ref: '<test-message@northwind.example>', title: 'Any news?', excerpt: 'Could you tell us where this stands?' },
  };
}

export function comments(b: TestBackend, issueKey: string): string[] {
  return b.jira!.state.comments(issueKey).map((c) => adfToText(c.body));
}

/** Settings changed directly as the admin page would (signed forge call with the admin role). */
export async function changeSettings(b: TestBackend, change: Partial<Settings>): Promise<void> {
  const { settings, version } = await b.store.getSettings();
  const res = await b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': `"${version}"` }, body: JSON.stringify({ ...settings, ...change }) });
  if (res.status !== 200) throw new Error(`settings change failed: ${res.status} ${await res.text()}`);
}

import { until } from '@pm-agent/backend/test/support/until';

export { until };

export async function settled(b: TestBackend, id: string): Promise<Suggestion> {
  return until(`${id} to run`, async () => {
    const s = await b.store.getSuggestion(id);
    return s && (s.state === 'executed' || s.state === 'failed') ? s : undefined;
  });
}

/** A loopback port nothing listens on: the backend "down". */
export async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Ports pointing at an endpoint nobody answers on. */
export async function portsForDeadBackend(keys: { accessKeyId: string; secretAccessKey: string }): Promise<{ ports: MemoryPorts; defs: ResolverDefinitions; host: string }> {
  const port = await deadPort();
  const ports = createMemoryPorts({ admins: [ADMIN] });
  const defs = resolverDefinitions(ports);
  const saved = await defs.saveConnection({ payload: { endpoint: `http://127.0.0.1:${port}`, region: 'local', ...keys }, context: contextFor('adminPage', ADMIN) });
  if (!saved.ok) throw new Error(saved.error.message);
  return { ports, defs, host: `127.0.0.1:${port}` };
}
