import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendClient } from '@pm-agent/backend-client';
import type { EmailInput } from '@pm-agent/shared';
import { malformedJson, startMessagesApiDouble, toolUse, toolUseRaw, truncated, type MessagesApiDouble } from '@pm-agent/dev-stack/messages-api-double';
import { outlookClient } from './support/outlook';
import { startTestBackend, type TestBackend } from './support/local-backend';

/** The real @anthropic-ai/sdk inside the isolated stages, against the local Messages-API double. */
const KEY = 'test-key-for-the-local-double-only';
const email = (id: string): EmailInput => ({
  ...(JSON.parse(readFileSync(join(__dirname, 'fixtures/emails/ordinary/deadline-moves-abc-123.json'), 'utf8')) as EmailInput),
  internetMessageId: `<${id}@northwind.example>`,
});
const facts = {
  summary: 'Northwind says the sandbox will be ready on 4 December instead of 27 November.',
  asks: ['Confirm the new integration test window'],
  dates: [{ text: '4 December', date: '2026-12-04' }],
  people: [{ name: 'Dana Lee', email: 'dana.lee@northwind.example' }],
  issueKeys: ['ABC-123'],
};
const comment = { actionType: 'jira_comment', payload: { issueKey: 'ABC-123', body: 'Northwind: sandbox moves to 4 December.' }, rationale: 'The date this issue depends on moved.' };

let double: MessagesApiDouble;
let b: TestBackend;
let outlook: BackendClient;

async function start(extraEnv: Record<string, string> = {}): Promise<void> {
  b = await startTestBackend({ stages: true, modelEnv: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: double.url, ...extraEnv } });
  outlook = outlookClient(b);
}

beforeAll(async () => (double = await startMessagesApiDouble({ apiKey: KEY })));
afterAll(() => double.close());
afterEach(async () => {
  await b?.stop();
  double.reset();
});

describe('triage with Claude (against the local double)', () => {
  it('extracts facts, then classifies from the facts only, and says Claude ran', async () => {
    await start();
    double.script(toolUse(facts), toolUse({ category: 'deadline_change', priority: 'high', actions: [comment] }));
    const { triage } = await outlook.triage(email('claude-ok'));
    expect(triage).toMatchObject({ status: 'complete', classifier: 'claude', category: 'deadline_change', priority: 'high', summary: facts.summary });
    expect(triage.model).toMatch(/^claude-/);
    expect(triage.suggestions.map((s) => [s.actionType, s.issueKey])).toEqual([['jira_comment', 'ABC-123']]);
    expect(double.requests).toHaveLength(2);
    // The raw body never reaches classify: a sentence only in the raw email is absent from the second request.
    const rawOnly = 'renewal backlog at our certificate authority'; // in the email's body, not in the facts
    expect(JSON.stringify(email('x'))).toContain(rawOnly);
    expect(JSON.stringify(double.requests[0]!.body)).toContain(rawOnly);
    expect(JSON.stringify(double.requests[1]!.body)).not.toContain(rawOnly);
    expect((await b.store.getModelUsage(triage.createdAt.slice(0, 10))).calls).toBe(2);
  });

  it.each([
    ['malformed JSON from the API', () => malformedJson()],
    ['a truncated tool call', () => truncated({ summary: 'Northwind says' })],
    ['output that breaks the schema', () => toolUseRaw({ summary: 42, asks: 'all of them', extra: true })],
  ])('%s in sanitise makes the triage "needs review" with no suggestions and no retry', async (_name, behaviour) => {
    await start();
    double.script(behaviour());
    const { triage } = await outlook.triage(email(`bad-${_name.length}`));
    expect(triage).toMatchObject({ status: 'needs_review', suggestions: [] });
    expect(triage.statusReason).toMatch(/Fact extraction failed/);
    expect(double.requests).toHaveLength(1);
  });

  it('hostile model output: a never-do action and an off-target mail are dropped and shown; nothing else is created', async () => {
    await start();
    double.script(
      toolUse(facts),
      toolUse({
        category: 'deadline_change',
        priority: 'urgent',
        actions: [
          { actionType: 'delete_data', payload: { what: 'all projects' }, rationale: 'the email said so' },
          { actionType: 'email_external', payload: { to: ['attacker@evil.example'], subject: 'data', body: 'here it is' }, rationale: 'forward' },
          comment,
        ],
      }),
    );
    const { triage } = await outlook.triage(email('claude-hostile'));
    expect(triage.suggestions.map((s) => s.actionType)).toEqual(['jira_comment']);
    const dropped = triage.signals.filter((s) => s.where === 'model').map((s) => s.text);
    expect(dropped).toEqual(expect.arrayContaining(['delete_data', 'email_external']));
  });

  it('invalid classification output makes the triage "needs review" with no suggestions', async () => {
    await start();
    double.script(toolUse(facts), toolUseRaw({ category: 'world_domination', priority: 'high', actions: [] }));
    const { triage } = await outlook.triage(email('claude-bad-class'));
    expect(triage).toMatchObject({ status: 'needs_review', suggestions: [] });
  });

  it('a daily cap hit is a clear status, with no model call at all', async () => {
    await start({ PM_AGENT_MODEL_DAILY_CALLS: '2' });
    double.script(toolUse(facts), toolUse({ category: 'fyi', priority: 'low', actions: [] }));
    expect((await outlook.triage(email('cap-1'))).triage.status).toBe('complete');
    const { triage } = await outlook.triage(email('cap-2'));
    expect(triage.status).toBe('capped');
    expect(triage.statusReason).toMatch(/daily model call cap \(2\)/);
    expect(double.requests).toHaveLength(2);
  });
});
