import { ConflictError, UnprocessableError, AuthError, createBackendClient, staticCredentials, webIdentityCredentials, type BackendClient } from '@pm-agent/backend-client';
import { payloadHash } from '@pm-agent/shared';
import { LOCAL } from '@pm-agent/dev-stack';
import { LOCAL_USER } from '@pm-agent/dev-stack';
import { devToken } from './support/outlook';
import { startTestBackend, type TestBackend } from './support/local-backend';

/** The apps' client against the real local backend: one contract from panel to store. */
let b: TestBackend;
let forge: BackendClient;
let agent: BackendClient;

beforeAll(async () => {
  b = await startTestBackend();
  const { endpoint, region, principals } = b.files.credentials;
  forge = createBackendClient({ endpoint, region, credentials: staticCredentials(principals.forge), identity: { accountId: LOCAL_USER.accountId, site: LOCAL_USER.site } });
  agent = createBackendClient({ endpoint, region, credentials: staticCredentials(principals.agent) });
});
afterAll(() => b.stop());

describe('backend-client against the local backend', () => {
  it('lists, then approves with the hash the client computes itself', async () => {
    const { items } = await forge.listSuggestions({ issueKey: 'ABC-123' });
    const s = items[0]!;
    expect(await payloadHash(s.payload)).toBe(s.payloadHash);
    const approved = await forge.approveSuggestion(s.id, { payloadHash: s.payloadHash }, { idempotencyKey: 'client-it-approve-1' });
    expect(approved.state).toBe('approved');
    const replay = await forge.approveSuggestion(s.id, { payloadHash: s.payloadHash }, { idempotencyKey: 'client-it-approve-1' });
    expect(replay).toEqual(approved);
    const late = await forge.approveSuggestion(s.id, { payloadHash: s.payloadHash }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ConflictError);
    expect((late as ConflictError).current?.state).toBe('approved');
    expect((late as ConflictError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('types the backend’s refusals: a never-do action, and a non-admin reading settings', async () => {
    const neverDo = await agent
      .createSuggestion({ actionType: 'delete_data', payload: { what: 'everything' }, rationale: 'asked to', provenance: { source: 'agent', ref: 'run-1', excerpt: '' } })
      .catch((e: unknown) => e);
    expect(neverDo).toBeInstanceOf(UnprocessableError);
    const settings = await forge.getSettings().catch((e: unknown) => e);
    expect(settings).toBeInstanceOf(AuthError);
    const admin = forge.withIdentity({ accountId: LOCAL_USER.accountId, site: LOCAL_USER.site, role: 'admin' });
    expect((await admin.getSettings()).settings.autonomyLevel).toBe('manual');
    expect(await forge.getViewer()).toMatchObject({ canApprove: true, paused: false });
  });

  it('signs in as an Outlook user through the dev issuer and the local STS', async () => {
    const getToken = () => devToken(b);
    const outlook = createBackendClient({
      endpoint: b.url,
      region: LOCAL.region,
      credentials: webIdentityCredentials({ stsEndpoint: `${b.url}/v1/sts`, roleArn: LOCAL.outlookRoleArn, getToken }),
    });
    expect((await outlook.getViewer()).actor).toMatchObject({ principal: 'outlook', id: LOCAL_USER.email });
    expect((await outlook.listSuggestions({ state: 'pending' })).items.length).toBeGreaterThan(0);
  });
});
