import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../src/auth/config';

const dev = {
  endpoint: 'http://127.0.0.1:8787',
  region: 'local',
  auth: { mode: 'dev', tokenEndpoint: 'http://127.0.0.1:8787/v1/dev/token', stsEndpoint: 'http://127.0.0.1:8787/v1/sts', roleArn: 'arn:aws:iam::000000000000:role/pm-agent-outlook' },
};
const msal = JSON.parse(readFileSync(join(__dirname, '../public/config.example.json'), 'utf8')) as Record<string, unknown>;

const response = (status: number, body: string) => async () => ({ ok: status < 300, status, text: async () => body });

describe('config.json', () => {
  test('the shipped example (msal mode) and a local dev config are valid', () => {
    expect(parseConfig(msal).auth.mode).toBe('msal');
    expect(parseConfig(dev).auth.mode).toBe('dev');
  });

  test('dev sign-in is refused for anything but loopback: it would accept anyone', () => {
    expect(() => parseConfig({ ...dev, endpoint: 'https://api.pm-agent.example.com' })).toThrow(/endpoint dev sign-in is for the local stack only/);
    expect(() => parseConfig({ ...dev, auth: { ...dev.auth, tokenEndpoint: 'https://evil.example/token' } })).toThrow(/auth\.tokenEndpoint dev sign-in/);
  });

  test('msal mode needs https everywhere, a GUID client id and a role ARN', () => {
    expect(() => parseConfig({ ...msal, endpoint: 'http://api.pm-agent.example.com' })).toThrow(/endpoint must be an https URL/);
    expect(() => parseConfig({ ...msal, auth: { ...(msal.auth as object), clientId: 'my-app' } })).toThrow(/auth\.clientId must be an application \(client\) id/);
    expect(() => parseConfig({ ...msal, auth: { ...(msal.auth as object), roleArn: 'pm-agent-outlook' } })).toThrow(/auth\.roleArn must be an IAM role ARN/);
  });

  test('unknown fields and non-http URLs are refused, naming the field', () => {
    expect(() => parseConfig({ ...dev, secretAccessKey: 'x' })).toThrow(/unknown field: secretAccessKey/);
    expect(() => parseConfig({ ...dev, jiraBrowseUrl: 'javascript:alert(1)' })).toThrow(/jiraBrowseUrl must be an http\(s\) URL/);
  });

  test('loading: HTTP errors and broken JSON become ConfigError in words', async () => {
    await expect(loadConfig('./config.json', response(404, 'nope'))).rejects.toThrow(new ConfigError("Could not load the pane's configuration: config.json answered HTTP 404. Ask whoever deployed the add-in."));
    await expect(loadConfig('./config.json', response(200, '{'))).rejects.toThrow('config.json is not valid JSON');
    await expect(loadConfig('./config.json', response(200, JSON.stringify(dev)))).resolves.toMatchObject({ region: 'local' });
  });
});
