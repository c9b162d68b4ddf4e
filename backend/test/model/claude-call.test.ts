import { FactsSchema } from '@pm-agent/shared';
import { z } from 'zod';
import * as double from '@pm-agent/dev-stack/messages-api-double';
import { roughTokens } from '@pm-agent/dev-stack/messages-api-double';
import { callTool } from '../../src/stages/model/claude';
import { extractFactsWithClaude } from '../../src/stages/model/extract-facts';
import { toolInputSchema } from '../../src/stages/model/json-schema';
import type { ModelFailure } from '../../src/stages/model/outcome';
import { FACTS_SYSTEM_PROMPT, FACTS_TOOL } from '../../src/stages/model/prompts';
import { DETAIL_MAX } from '../../src/stages/model/redact';
import { UNTRUSTED_LABEL } from '../../src/stages/model/untrusted-block';
import { API_KEY, CLEAN_EMAIL, DEADLINE_FACTS, cfgFor } from './fixtures';

/** The real @anthropic-ai/sdk, talking only to the local Messages-API double on 127.0.0.1. */
let api: double.MessagesApiDouble;
beforeAll(async () => {
  api = await double.startMessagesApiDouble({ apiKey: API_KEY });
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const only = (): double.RecordedRequest => {
  expect(api.requests).toHaveLength(1); // exactly one call: no retries behind our back
  return api.requests[0]!;
};

describe('a good forced tool call', () => {
  it('returns the parsed facts with usage and the model, having sent a forced tool call with the schema, prompt and label', async () => {
    api.script(double.toolUse(DEADLINE_FACTS));
    const out = await extractFactsWithClaude(cfgFor(api.url, { model: 'claude-test-model' }), CLEAN_EMAIL);

    expect(out).toMatchObject({ ok: true, value: DEADLINE_FACTS, model: 'claude-test-model' });
    const req = only();
    const body = req.body as { system: string; tool_choice: unknown; tools: Array<{ name: string; input_schema: unknown }>; messages: Array<{ content: string }>; max_tokens: number };
    expect(body.tool_choice).toEqual({ type: 'tool', name: FACTS_TOOL.name, disable_parallel_tool_use: true });
    expect(body.tools).toHaveLength(1);
    expect(body.tools[0]!.name).toBe(FACTS_TOOL.name);
    expect(body.tools[0]!.input_schema).toEqual(toolInputSchema(FactsSchema));
    expect(body.system).toBe(FACTS_SYSTEM_PROMPT);
    expect(body.max_tokens).toBe(1024);
    const user = body.messages[0]!.content;
    expect(user).toContain(UNTRUSTED_LABEL);
    expect(user).toContain('```json');
    // The email's own ``` cannot close our fence: backticks inside the data are escaped.
    expect(user.match(/```/g)).toHaveLength(2);
    expect(user).toContain('status.vendor.example');
    expect(user).not.toContain('https://status.vendor.example/incidents/42'); // hosts only

    // This SDK version sends the key as a bearer token (not x-api-key); the double accepts both, as the API does.
    expect(req.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(req.headers['x-api-key']).toBeUndefined();
    expect(req.headers['anthropic-version']).toBeTruthy();
    expect(req.headers['x-stainless-retry-count']).toBe('0');

    if (!out.ok) throw new Error('expected ok');
    expect(out.usage.inputTokens).toBe(roughTokens({ system: body.system, messages: body.messages, tools: body.tools }));
    expect(out.usage.outputTokens).toBeGreaterThan(0);
  });

  it('uses an inputSchema override for what the model sees while still checking with the zod schema', async () => {
    const shown = { type: 'object' as const, properties: { n: { type: 'integer', description: 'shown' } }, required: ['n'] };
    api.script(double.toolUse({ n: 'not a number' }));
    const out = await callTool(cfgFor(api.url), { system: 's', user: 'u', toolName: 't', toolDescription: 'd', schema: z.strictObject({ n: z.number() }), inputSchema: shown });
    expect((only().body as { tools: Array<{ input_schema: unknown }> }).tools[0]!.input_schema).toEqual(shown);
    expect(out).toMatchObject({ ok: false, reason: 'invalid_output' });
  });
});

describe('failures are clear statuses, after exactly one request, with no key in the detail', () => {
  const rows: Array<{ name: string; behaviour: double.Behaviour; reason: ModelFailure; detail: RegExp; usage?: boolean; cfg?: { timeoutMs?: number; apiKey?: string } }> = [
    { name: 'schema-violating tool input', behaviour: double.toolUseRaw({ summary: '', asks: 'not a list' }), reason: 'invalid_output', detail: /summary|asks/, usage: true },
    { name: 'truncated at max_tokens', behaviour: double.truncated({ summary: 'Dana says the Beta' }), reason: 'truncated', detail: /max_tokens/, usage: true },
    { name: 'text only', behaviour: double.text('I would rather not use the tool.'), reason: 'no_tool_call', detail: /text only/, usage: true },
    { name: 'refusal', behaviour: double.refusal('policy'), reason: 'refused', detail: /declined/, usage: true },
    { name: '429 rate limited', behaviour: double.status(429, 'rate_limit_error'), reason: 'rate_limited', detail: /429.*retry after 30 s/ },
    { name: '529 overloaded', behaviour: double.status(529, 'overloaded_error', { message: 'Overloaded' }), reason: 'overloaded', detail: /529 overloaded_error/ },
    { name: '500 api error', behaviour: double.status(500, 'api_error'), reason: 'api_error', detail: /HTTP 500 api_error/ },
    { name: '504 timeout_error', behaviour: double.status(504, 'timeout_error'), reason: 'timeout', detail: /504/ },
    { name: 'no answer in time', behaviour: double.delay(3_000, double.toolUse(DEADLINE_FACTS)), reason: 'timeout', detail: /time limit/, cfg: { timeoutMs: 300 } },
    { name: 'malformed JSON body', behaviour: double.malformedJson(), reason: 'api_error', detail: /not valid JSON/ },
    { name: 'a wrong key (401)', behaviour: double.toolUse(DEADLINE_FACTS), reason: 'auth', detail: /401 authentication_error/, cfg: { apiKey: ['sk', 'ant', 'api03', 'WRONGKEY', 'zyxwvutsrqponmlkjihgfedcba9876543210'].join('-') } },
  ];

  it.each(rows)('$name → $reason', async ({ behaviour, reason, detail, usage, cfg }) => {
    api.script(behaviour);
    const out = await extractFactsWithClaude(cfgFor(api.url, cfg ?? {}), CLEAN_EMAIL);
    if (out.ok) throw new Error('expected a failure');
    expect(out.reason).toBe(reason);
    expect(out.detail).toMatch(detail);
    expect(out.detail.length).toBeLessThanOrEqual(DETAIL_MAX);
    expect(out.detail).not.toContain(API_KEY);
    if (cfg?.apiKey) expect(out.detail).not.toContain(cfg.apiKey);
    expect(out.usage.inputTokens > 0).toBe(usage === true); // usage counts whenever the API answered with a message
    only();
  });

  it('redacts the key even when the API error message echoes it', async () => {
    api.script(double.status(400, 'invalid_request_error', { message: `bad request from key ${API_KEY} (also sk-ant-other-123456789abc)` }));
    const out = await extractFactsWithClaude(cfgFor(api.url), CLEAN_EMAIL);
    if (out.ok) throw new Error('expected a failure');
    expect(out.reason).toBe('api_error');
    expect(out.detail).toContain('[redacted]');
    expect(out.detail).not.toContain('TESTKEY');
    expect(out.detail).not.toContain('sk-ant-other');
  });

  it('a connection refused is api_error, not a hang', async () => {
    const gone = await double.startMessagesApiDouble({ apiKey: API_KEY });
    const url = gone.url;
    await gone.close();
    const out = await extractFactsWithClaude(cfgFor(url), CLEAN_EMAIL);
    expect(out).toMatchObject({ ok: false, reason: 'api_error', detail: 'could not connect to the API' });
  });

  it('an answer calling a different tool is no_tool_call, even when its input would pass', async () => {
    api.script(double.toolUseRaw({}, 'some_other_tool'));
    const out = await callTool(cfgFor(api.url), { system: 's', user: 'u', toolName: 'expected_tool', toolDescription: 'd', schema: z.object({}) });
    expect(out).toMatchObject({ ok: false, reason: 'no_tool_call', detail: 'the model called another tool ("some_other_tool")' });
  });
});
