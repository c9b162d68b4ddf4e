import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiGatewayProxyEvent } from '../src/api/http/lambda';

/** The Lambda entry, driven with API Gateway proxy events as API Gateway sends them after IAM auth. */
const dir = mkdtempSync(join(tmpdir(), 'pm-agent-lambda-'));
process.env.PM_AGENT_ROLES = JSON.stringify({ forge: 'pm-agent-forge', outlook: 'pm-agent-outlook', agent: 'pm-agent-agent' });
process.env.PM_AGENT_SQLITE_PATH = join(dir, 'store.sqlite');
const logged = jest.spyOn(console, 'log').mockImplementation(() => undefined);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { handler } = require('../src/aws/lambda-entry') as typeof import('../src/aws/lambda-entry');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function event(method: string, path: string, opts: { userArn?: string; headers?: Record<string, string>; body?: unknown; query?: Record<string, string> } = {}): ApiGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    queryStringParameters: opts.query ?? null,
    body: opts.body === undefined ? null : Buffer.from(JSON.stringify(opts.body)).toString('base64'),
    isBase64Encoded: opts.body !== undefined,
    requestContext: { requestId: 'req-1', domainName: 'abc123.execute-api.eu-west-1.amazonaws.com', identity: { userArn: opts.userArn ?? null } },
  };
}

const AGENT = 'arn:aws:sts::123456789012:assumed-role/pm-agent-agent/agent-run-7';
const FORGE = 'arn:aws:sts::123456789012:assumed-role/pm-agent-forge/forge-install-1';

describe('Lambda entry with API Gateway events', () => {
  it('answers health in aws mode', async () => {
    const res = await handler(event('GET', '/v1/health'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ status: 'ok', mode: 'aws' });
  });

  it('takes the principal from the IAM identity API Gateway verified, and serves its routes', async () => {
    const created = await handler(event('POST', '/v1/suggestions', {
      userArn: AGENT,
      body: { actionType: 'jira_comment', payload: { issueKey: 'ABC-9', body: 'hi' }, rationale: 'r', provenance: { source: 'agent', ref: 'run-7', excerpt: '' } },
    }));
    expect(created.statusCode).toBe(201);
    const listed = await handler(event('GET', '/v1/suggestions', {
      userArn: FORGE,
      query: { issueKey: 'ABC-9' },
      headers: { 'x-pm-account-id': '712020:abc', 'x-pm-site': 'acme.atlassian.net' },
    }));
    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body).items).toHaveLength(1);
    expect(logged.mock.calls.map((c) => String(c[0]))).toContainEqual(expect.stringMatching(/^GET \/v1\/suggestions principal=forge status=200/));
  });

  it('refuses unknown roles, other principals’ routes, and the local-only identity routes', async () => {
    expect((await handler(event('GET', '/v1/suggestions', { userArn: 'arn:aws:sts::123456789012:assumed-role/other/x' }))).headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect((await handler(event('GET', '/v1/settings', { userArn: AGENT }))).statusCode).toBe(403);
    expect((await handler(event('POST', '/v1/dev/token', { body: { sub: 'a', name: 'b', email: 'c@d.e' } }))).statusCode).toBe(404);
    expect((await handler(event('POST', '/v1/sts', {}))).statusCode).toBe(404);
  });
});
