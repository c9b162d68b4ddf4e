import * as double from '@pm-agent/dev-stack/messages-api-double';
import { API_KEY } from './fixtures';

/** The double on its own, over plain HTTP: it must refuse what the real API refuses and answer in its shapes. */
let api: double.MessagesApiDouble;
beforeAll(async () => {
  api = await double.startMessagesApiDouble({ apiKey: API_KEY });
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const goodBody = {
  model: 'claude-test',
  max_tokens: 100,
  messages: [{ role: 'user', content: 'hi' }],
  tools: [{ name: 'record', description: 'd', input_schema: { type: 'object', properties: {} } }],
  tool_choice: { type: 'tool', name: 'record' },
};
const goodHeaders = { 'content-type': 'application/json', 'x-api-key': API_KEY, 'anthropic-version': '2023-06-01' };

async function post(body: unknown, headers: Record<string, string> = goodHeaders, path = '/v1/messages') {
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: (() => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return undefined; } })() };
}

it('listens on 127.0.0.1 only', () => {
  expect(new URL(api.url).hostname).toBe('127.0.0.1');
});

it('answers a tool call in the real message shape, for the forced tool, and says it is a stand-in', async () => {
  api.script(double.toolUse({ a: 1 }));
  const r = await post(goodBody);
  expect(r.status).toBe(200);
  expect(r.headers.get('x-stand-in')).toBe('messages-api-double');
  expect(r.headers.get('request-id')).toMatch(/^req_/);
  expect(r.json).toMatchObject({
    id: expect.stringMatching(/^msg_/),
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [{ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'record', input: { a: 1 } }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: expect.any(Number), output_tokens: expect.any(Number) },
  });
});

it('scripts are FIFO, then the default answers (a 500 that says nothing was scripted, unless set)', async () => {
  api.script(double.text('one'), double.text('two'));
  expect((await post(goodBody)).json).toMatchObject({ content: [{ type: 'text', text: 'one' }], stop_reason: 'end_turn' });
  expect((await post(goodBody)).json).toMatchObject({ content: [{ type: 'text', text: 'two' }] });
  const fallback = await post(goodBody);
  expect(fallback.status).toBe(500);
  expect(fallback.text).toContain('nothing is scripted');
  api.setDefault(double.text('default'));
  expect((await post(goodBody)).json).toMatchObject({ content: [{ text: 'default' }] });
  api.setDefault(double.status(500, 'api_error', { message: 'messages-api-double: nothing is scripted for this call' }));
});

it('truncated answers stop at max_tokens and bill max_tokens of output', async () => {
  api.script(double.truncated({ partial: true }));
  expect((await post(goodBody)).json).toMatchObject({ stop_reason: 'max_tokens', usage: { output_tokens: 100 }, content: [{ type: 'tool_use', input: { partial: true } }] });
});

it('errors use the real error envelope; 429 carries retry-after', async () => {
  api.script(double.status(429, 'rate_limit_error'));
  const r = await post(goodBody);
  expect(r.status).toBe(429);
  expect(r.headers.get('retry-after')).toBe('30');
  expect(r.json).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) }, request_id: expect.stringMatching(/^req_/) });
});

it('malformedJson is a 200 whose body does not parse', async () => {
  api.script(double.malformedJson());
  const r = await post(goodBody);
  expect(r.status).toBe(200);
  expect(r.json).toBeUndefined();
});

describe('request validation, as the real API does it (every request is recorded, refused or not)', () => {
  const rows: Array<{ name: string; body?: unknown; headers?: Record<string, string>; path?: string; status: number; type: string; message: RegExp }> = [
    { name: 'no key', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, status: 401, type: 'authentication_error', message: /x-api-key header is required/ },
    { name: 'wrong key', headers: { ...goodHeaders, 'x-api-key': 'sk-ant-wrong' }, status: 401, type: 'authentication_error', message: /invalid x-api-key/ },
    { name: 'wrong bearer', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-ant-wrong', 'anthropic-version': '2023-06-01' }, status: 401, type: 'authentication_error', message: /invalid/ },
    { name: 'no anthropic-version', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, status: 400, type: 'invalid_request_error', message: /anthropic-version/ },
    { name: 'no max_tokens', body: { ...goodBody, max_tokens: undefined }, status: 400, type: 'invalid_request_error', message: /^max_tokens/ },
    { name: 'no model', body: { ...goodBody, model: undefined }, status: 400, type: 'invalid_request_error', message: /^model/ },
    { name: 'empty messages', body: { ...goodBody, messages: [] }, status: 400, type: 'invalid_request_error', message: /^messages/ },
    { name: 'forced tool not defined', body: { ...goodBody, tool_choice: { type: 'tool', name: 'other' } }, status: 400, type: 'invalid_request_error', message: /Tool 'other' not found/ },
    { name: 'tool schema not an object', body: { ...goodBody, tools: [{ name: 'record', input_schema: { type: 'string' } }] }, status: 400, type: 'invalid_request_error', message: /^tools\.0\.input_schema/ },
    { name: 'unknown top-level field', body: { ...goodBody, surprise: 1 }, status: 400, type: 'invalid_request_error', message: /surprise/ },
    { name: 'not JSON', body: '{nope', status: 400, type: 'invalid_request_error', message: /not valid JSON/ },
    { name: 'another path', path: '/v1/complete', status: 404, type: 'not_found_error', message: /Not found/ },
  ];

  it.each(rows)('$name → $status $type', async ({ body, headers, path, status, type, message }) => {
    api.script(double.toolUse({ never: 'used' }));
    const r = await post(body ?? goodBody, headers ?? goodHeaders, path);
    expect(r.status).toBe(status);
    expect(r.headers.get('x-stand-in')).toBe('messages-api-double');
    expect(r.json).toMatchObject({ type: 'error', error: { type, message: expect.stringMatching(message) } });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.answered).toBe(status);
  });

  it('accepts the key as a bearer token too (what @anthropic-ai/sdk 1.10 sends)', async () => {
    api.script(double.text('ok'));
    const r = await post(goodBody, { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}`, 'anthropic-version': '2023-06-01' });
    expect(r.status).toBe(200);
  });
});
