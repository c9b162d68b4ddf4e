import type { Configuration, IPublicClientApplication } from '@azure/msal-browser';
import { parseConfig, type MsalAuth } from '../src/auth/config';
import { devTokenSource } from '../src/auth/token-dev';
import { msalTokenSource } from '../src/auth/token-msal';
import { outlookSessionName } from '@pm-agent/shared';

const DEV = { mode: 'dev' as const, tokenEndpoint: 'http://127.0.0.1:8787/v1/dev/token', stsEndpoint: 'http://127.0.0.1:8787/v1/sts', roleArn: 'arn:aws:iam::000000000000:role/pm-agent-outlook' };
const MSAL: MsalAuth = {
  mode: 'msal',
  clientId: '11111111-2222-3333-4444-555555555555',
  authority: 'https://login.microsoftonline.com/organizations',
  scopes: ['api://pm-agent.example.com/11111111-2222-3333-4444-555555555555/access_as_user'],
  stsEndpoint: 'https://sts.eu-west-1.amazonaws.com/',
  roleArn: 'arn:aws:iam::123456789012:role/pm-agent-outlook',
};
const PROFILE = { displayName: 'Pat Morgan', emailAddress: 'pat.morgan@example.com' };
const reply = (status: number, body: string) => ({ ok: status < 300, status, text: async () => body });

describe('dev sign-in (local stack only)', () => {
  test('asks the dev identity provider for a token for the Outlook user', async () => {
    const posts: Array<[string, unknown]> = [];
    const source = devTokenSource(DEV, PROFILE, async (url, body) => {
      posts.push([url, JSON.parse(body)]);
      return reply(200, JSON.stringify({ access_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig-sig-sig', token_type: 'Bearer' }));
    });
    await expect(source()).resolves.toBe('eyJhbGciOiJSUzI1NiJ9.e30.sig-sig-sig');
    expect(posts).toEqual([[DEV.tokenEndpoint, { sub: 'pat.morgan@example.com', name: 'Pat Morgan', email: 'pat.morgan@example.com' }]]);
  });

  test('failures are said in words', async () => {
    await expect(devTokenSource(DEV, PROFILE, async () => reply(500, 'boom'))()).rejects.toThrow('the local sign-in service answered HTTP 500');
    await expect(devTokenSource(DEV, PROFILE, async () => reply(200, '<html>'))()).rejects.toThrow('not JSON');
    await expect(devTokenSource(DEV, PROFILE, async () => reply(200, '{}'))()).rejects.toThrow('without an access token');
  });
});

describe('MSAL nested app authentication', () => {
  function fakePca(silent: () => Promise<{ accessToken: string }>) {
    const log: string[] = [];
    let configuration: Configuration | undefined;
    const pca = {
      getActiveAccount: () => null,
      getAllAccounts: () => [],
      acquireTokenSilent: async (r: { scopes: string[] }) => {
        log.push(`silent:${r.scopes.join(' ')}`);
        return silent();
      },
      acquireTokenPopup: async (r: { scopes: string[] }) => {
        log.push(`popup:${r.scopes.join(' ')}`);
        return { accessToken: 'from-popup', account: { homeAccountId: 'h' } };
      },
      setActiveAccount: (a: { homeAccountId: string }) => log.push(`active:${a.homeAccountId}`),
    };
    const create = async (c: Configuration) => {
      configuration = c;
      return pca as unknown as IPublicClientApplication;
    };
    return { create, log, configuration: () => configuration };
  }

  test('uses the host-brokered token silently when it can; keeps tokens in memory only', async () => {
    const fake = fakePca(async () => ({ accessToken: 'from-naa' }));
    const source = await msalTokenSource(MSAL, 'https://pm-agent.example.com/outlook/taskpane.html', fake.create);
    await expect(source()).resolves.toBe('from-naa');
    expect(fake.log).toEqual([`silent:${MSAL.scopes[0]}`]);
    expect(fake.configuration()).toEqual({
      auth: { clientId: MSAL.clientId, authority: MSAL.authority, redirectUri: 'https://pm-agent.example.com/outlook/auth-redirect.html' },
      cache: { cacheLocation: 'memoryStorage' },
    });
  });

  test('falls back to interactive sign-in when silent fails, and remembers the account', async () => {
    const fake = fakePca(async () => {
      throw new Error('interaction_required');
    });
    const source = await msalTokenSource(MSAL, 'https://pm-agent.example.com/outlook/taskpane.html', fake.create);
    await expect(source()).resolves.toBe('from-popup');
    expect(fake.log).toEqual([`silent:${MSAL.scopes[0]}`, `popup:${MSAL.scopes[0]}`, 'active:h']);
  });
});

describe('MSAL is loaded only when needed', () => {
  afterEach(() => jest.resetModules());

  test('dev mode never loads the MSAL module; msal mode loads it on the first token request, not before', async () => {
    const loaded = jest.fn();
    jest.doMock('../src/auth/token-msal', () => {
      loaded();
      return { msalTokenSource: async () => async () => 'msal-token' };
    });
    const { tokenSource } = await import('../src/auth/token-source');
    const dev = tokenSource(parseConfig({ endpoint: 'http://127.0.0.1:8787', region: 'local', auth: DEV }), PROFILE, 'http://127.0.0.1:8788/outlook/taskpane.html');
    expect(typeof dev).toBe('function');
    expect(loaded).not.toHaveBeenCalled();

    const msal = tokenSource(parseConfig({ endpoint: 'https://api.pm-agent.example.com', region: 'eu-west-1', auth: MSAL }), PROFILE, 'https://pm-agent.example.com/outlook/taskpane.html');
    expect(loaded).not.toHaveBeenCalled();
    await expect(msal()).resolves.toBe('msal-token');
    expect(loaded).toHaveBeenCalledTimes(1);
  });
});

test('STS role session names come from the token subject and are valid for any subject', () => {
  expect(outlookSessionName('pat-1')).toBe('outlook-pat-1');
  expect(outlookSessionName(`${'a'.repeat(80)}/x`)).toMatch(/^[\w+=,.@-]{2,64}$/);
});
