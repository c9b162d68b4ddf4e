import { ApproveRequestSchema, CreateSuggestionRequestSchema, RejectRequestSchema, describeIssues, describeLink, preview, removeInvisible, truncate } from '../src';

const valid = {
  actionType: 'jira_comment',
  payload: { issueKey: 'ABC-123', body: 'Vendor says the deadline moves to 12 December.' },
  rationale: 'The email from the vendor moves the delivery date.',
  provenance: { source: 'email', ref: '<abc@example.com>', excerpt: 'We need to move the deadline.' },
};

describe('create suggestion schema', () => {
  it('accepts a well-formed suggestion', () => {
    expect(CreateSuggestionRequestSchema.safeParse(valid).success).toBe(true);
  });

  it('checks the payload against its action type and names the field', () => {
    const r = CreateSuggestionRequestSchema.safeParse({ ...valid, payload: { issueKey: 'not a key', body: '' } });
    expect(r.success).toBe(false);
    const issues = describeIssues(r.error!);
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'payload.issueKey', message: 'must be a Jira issue key such as ABC-123' },
        { path: 'payload.body', message: 'must not be empty' },
      ]),
    );
  });

  it('refuses unknown fields, unknown action types and control characters', () => {
    expect(describeIssues(CreateSuggestionRequestSchema.safeParse({ ...valid, admin: true }).error!)[0]).toEqual({
      path: '(body)',
      message: 'unknown field: admin',
    });
    expect(CreateSuggestionRequestSchema.safeParse({ ...valid, actionType: 'rm_rf' }).success).toBe(false);
    const nul = CreateSuggestionRequestSchema.safeParse({ ...valid, payload: { issueKey: 'ABC-1', body: 'a\u0000b' } });
    expect(describeIssues(nul.error!)[0]!.message).toBe('must not contain control characters');
  });

  it('refuses oversized text', () => {
    const r = CreateSuggestionRequestSchema.safeParse({ ...valid, payload: { issueKey: 'ABC-1', body: 'x'.repeat(32_001) } });
    expect(describeIssues(r.error!)[0]).toEqual({ path: 'payload.body', message: 'must be at most 32000 characters' });
  });
});

describe('approve and reject schemas', () => {
  it('needs a 64-hex hash and a non-empty reason', () => {
    expect(ApproveRequestSchema.safeParse({ payloadHash: 'abc' }).success).toBe(false);
    expect(ApproveRequestSchema.safeParse({ payloadHash: 'a'.repeat(64) }).success).toBe(true);
    expect(RejectRequestSchema.safeParse({ reason: '' }).success).toBe(false);
    expect(describeIssues(RejectRequestSchema.safeParse({}).error!)[0]).toEqual({ path: 'reason', message: 'is required' });
  });
});

describe('safe text', () => {
  it('removes zero-width and bidi characters', () => {
    expect(removeInvisible('pay\u200Bpal\u202Egnp.exe')).toBe('paypalgnp.exe');
  });

  it('shows the full host of a deceptive link and only offers http(s)', () => {
    expect(describeLink('https://login.example.com.evil.io/path')).toEqual({
      host: 'login.example.com.evil.io',
      href: 'https://login.example.com.evil.io/path',
      followable: true,
    });
    expect(describeLink('javascript:alert(1)')!.followable).toBe(false);
    expect(describeLink('not a url')).toBeUndefined();
  });

  it('cuts without splitting a surrogate pair and collapses whitespace in previews', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(preview('  a\n\n b\t c  ')).toBe('a b c');
  });
});
