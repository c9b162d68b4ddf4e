/**
 * The Forge side of the ports, with @forge/api and @forge/kvs replaced by recorders: which Forge
 * calls the app makes, and how it reads their answers.
 */

const requestJira = jest.fn();
const forgeFetch = jest.fn();
const kvsStore = { getSecret: jest.fn(), setSecret: jest.fn(), deleteSecret: jest.fn(), get: jest.fn(), set: jest.fn() };

jest.mock('@forge/api', () => {
  const actual = jest.requireActual('@forge/api');
  return {
    __esModule: true,
    ...actual,
    default: { asUser: () => ({ requestJira: (...args: unknown[]) => requestJira(...args) }) },
    fetch: (...args: unknown[]) => forgeFetch(...args),
  };
});
// jest.mock factories run before the consts above exist (they are hoisted): reach them lazily.
jest.mock('@forge/kvs', () => ({
  __esModule: true,
  get kvs() {
    return kvsStore;
  },
}));

import { NeedsAuthenticationError } from '@forge/api';
import { forgePorts } from '../src/resolvers/forge-ports';

const jiraAnswer = (status: number, body: unknown) => ({ ok: status >= 200 && status < 300, status, json: async () => body });

beforeEach(() => jest.clearAllMocks());

describe('isJiraAdmin', () => {
  it('asks Jira, as the user, for the ADMINISTER global permission of that account', async () => {
    requestJira.mockResolvedValue(jiraAnswer(200, { globalPermissions: ['ADMINISTER'], projectPermissions: [] }));
    await expect(forgePorts().isJiraAdmin('557058:admin')).resolves.toBe(true);
    expect(requestJira).toHaveBeenCalledTimes(1);
    const [route, init] = requestJira.mock.calls[0] as [{ value: string }, { method: string; body: string }];
    expect(route.value).toBe('/rest/api/3/permissions/check');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body)).toEqual({ accountId: '557058:admin', globalPermissions: ['ADMINISTER'] });
  });

  it('is false without the permission, on a refusal, and on an answer it cannot read', async () => {
    for (const answer of [jiraAnswer(200, { globalPermissions: [] }), jiraAnswer(403, { errorMessages: ['no'] }), jiraAnswer(200, { unexpected: true })]) {
      requestJira.mockResolvedValueOnce(answer);
      await expect(forgePorts().isJiraAdmin('557058:user')).resolves.toBe(false);
    }
  });

  it('lets Forge’s consent request through to the platform', async () => {
    const consent = new NeedsAuthenticationError('Authentication required', 'jira');
    requestJira.mockRejectedValue(consent);
    const ports = forgePorts();
    await expect(ports.isJiraAdmin('557058:user')).rejects.toBe(consent);
    expect(ports.isPlatformError?.(consent)).toBe(true);
    expect(ports.isPlatformError?.(new Error('a bug'))).toBe(false);
  });
});

describe('storage', () => {
  it('keeps secrets in Forge secret storage and config in plain storage', async () => {
    const ports = forgePorts();
    await ports.secrets.set('backend-secret-access-key', 's3cr3t');
    expect(kvsStore.setSecret).toHaveBeenCalledWith('backend-secret-access-key', 's3cr3t');
    expect(kvsStore.set).not.toHaveBeenCalled();

    kvsStore.getSecret.mockResolvedValueOnce('s3cr3t').mockResolvedValueOnce({ not: 'a string' });
    await expect(ports.secrets.get('backend-secret-access-key')).resolves.toBe('s3cr3t');
    await expect(ports.secrets.get('backend-secret-access-key')).resolves.toBeUndefined();

    await ports.config.set('backend-connection', { endpoint: 'https://x' });
    expect(kvsStore.set).toHaveBeenCalledWith('backend-connection', { endpoint: 'https://x' });
    await ports.secrets.delete('backend-access-key-id');
    expect(kvsStore.deleteSecret).toHaveBeenCalledWith('backend-access-key-id');
  });
});

it('reaches the backend with Forge’s fetch (bound by the manifest’s egress list)', async () => {
  forgeFetch.mockResolvedValue({ status: 200, headers: { get: () => null }, text: async () => '{}' });
  const signal = new AbortController().signal;
  await forgePorts().fetch('https://backend.example.com/v1/health', { method: 'GET', headers: {}, signal });
  expect(forgeFetch).toHaveBeenCalledWith('https://backend.example.com/v1/health', { method: 'GET', headers: {}, signal });
});
