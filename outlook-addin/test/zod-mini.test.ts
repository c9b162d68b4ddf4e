import * as full from '@pm-agent/shared';
import { EMAIL, HASH, suggestion, triage } from './support/fixtures';

/**
 * The pane validates with zod/mini (its build aliases zod to zod/mini), the server with full zod,
 * from the same definitions in shared/. Here shared/ is loaded a second time with zod/mini in
 * place of zod, as the pane's bundle has it, and both must decide every case the same way: same
 * verdict, same parsed value (defaults included), same issues in the same words. That the bundle
 * holds zod/mini and no classic zod is test/bundle.test.ts's.
 */
let mini: typeof full;
beforeAll(() => {
  jest.isolateModules(() => {
    jest.doMock('zod', () => jest.requireActual('zod/mini'));
    mini = require('@pm-agent/shared') as typeof full;
  });
});

type Issues = Parameters<typeof full.describeIssues>[0];
type SchemaName = { [K in keyof typeof full]: (typeof full)[K] extends { safeParse: (v: unknown) => unknown } ? K : never }[keyof typeof full];

const withoutCc = { ...EMAIL } as Record<string, unknown>;
delete withoutCc.cc;
const view = {
  settings: { autonomyLevel: 'balanced', boundaryOverrides: {}, approvers: { jiraAccountIds: [], emails: ['pat@example.com'] }, holdDelayMinutes: 30, paused: false },
  version: 3,
  updatedAt: null,
  updatedBy: null,
};

const CASES: Array<[SchemaName, string, unknown]> = [
  ['TriageEnvelopeSchema', 'a triage as the pane reads it', { triage: triage(), cached: false }],
  ['TriageEnvelopeSchema', 'an unknown field', { triage: { ...triage(), admin: true }, cached: false }],
  ['TriageEnvelopeSchema', 'a suggestion with a bad hash and version', { triage: triage({ suggestions: [suggestion('jira_comment', { issueKey: 'ABC-1', body: 'x' }, { payloadHash: 'nope', version: 0 })] }), cached: false }],
  ['TriageEnvelopeSchema', 'an unknown category and a null summary', { triage: { ...triage(), category: 'gossip', summary: null }, cached: true }],
  ['SuggestionEnvelopeSchema', 'a decided suggestion', { suggestion: suggestion('email_external', { to: ['a@b.example'], subject: 's', body: 'b' }, { decision: { kind: 'approved', by: { principal: 'outlook', id: 'pat@example.com' }, at: '2026-11-18T09:00:00.000Z', payloadHash: HASH }, version: 2 }) }],
  ['SuggestionEnvelopeSchema', 'a date that is not ISO', { suggestion: suggestion('jira_comment', { issueKey: 'ABC-1', body: 'x' }, { createdAt: 'yesterday' }) }],
  ['EmailInputSchema', 'the email the pane sends', EMAIL],
  ['EmailInputSchema', 'no cc (defaulted to none)', withoutCc],
  ['EmailInputSchema', 'a sender that is not an address', { ...EMAIL, from: { address: 'dana at northwind' } }],
  ['CreateSuggestionRequestSchema', 'a payload that fails its action type', { actionType: 'jira_comment', payload: { issueKey: 'nope', body: '' }, rationale: 'r', provenance: { source: 'email', ref: 'x', excerpt: '' } }],
  ['CreateSuggestionRequestSchema', 'a line with a newline', { actionType: 'jira_status_change', payload: { issueKey: 'ABC-1', toStatus: 'Done\nnow' }, rationale: 'r', provenance: { source: 'agent', ref: 'x', excerpt: '' } }],
  ['ViewerSchema', 'a viewer', { actor: { principal: 'outlook', id: 'pat@example.com' }, canApprove: true, paused: false, autonomyLevel: 'balanced', holdDelayMinutes: 30 }],
  ['ViewerSchema', 'a fractional hold delay', { actor: { principal: 'outlook', id: 'pat@example.com' }, canApprove: true, paused: false, autonomyLevel: 'balanced', holdDelayMinutes: 1.5 }],
  ['ApiErrorBodySchema', 'a conflict with the settings as they are', { error: 'conflict', message: 'changed', current: view }],
  ['SettingsViewSchema', 'a hold delay over a week', { ...view, settings: { ...view.settings, holdDelayMinutes: 20_000 } }],
  ['NotSuspiciousResponseSchema', 'a malformed message key', { messageKey: 'msg_x', markedBy: { principal: 'outlook', id: 'p' }, at: 'now', effect: 'none' }],
  ['RetryRequestSchema', 'a status of spaces (trimmed, then empty)', { payloadHash: HASH, toStatus: '   ' }],
  ['AuditQuerySchema', 'numbers from a query string', { after: '12', limit: '0' }],
];

describe('shared schemas under zod/mini (the pane) and full zod (the server)', () => {
  test('the second copy really is built with zod/mini', () => {
    expect(typeof (full.SuggestionSchema as unknown as { optional?: unknown }).optional).toBe('function');
    expect((mini.SuggestionSchema as unknown as { optional?: unknown }).optional).toBeUndefined();
  });

  test.each(CASES)('%s: %s', (name, _what, value) => {
    const a = (full[name] as { safeParse(v: unknown): { success: boolean; data?: unknown; error?: Issues } }).safeParse(value);
    const b = (mini[name] as { safeParse(v: unknown): { success: boolean; data?: unknown; error?: Issues } }).safeParse(value);
    expect(b.success).toBe(a.success);
    if (a.success) expect(b.data).toEqual(a.data);
    else expect(full.describeIssues(b.error!)).toEqual(full.describeIssues(a.error!));
  });

  test('the cases include refusals, so agreement means something', () => {
    const refused = CASES.filter(([name, , value]) => !(full[name] as { safeParse(v: unknown): { success: boolean } }).safeParse(value).success);
    expect(refused.length).toBeGreaterThanOrEqual(10);
  });
});
