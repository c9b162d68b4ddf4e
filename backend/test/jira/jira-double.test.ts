import { adfToText, textToAdf } from '../../src/stages/execute/jira/adf';
import { startJiraDouble } from '@pm-agent/dev-stack/jira-double';
import { EMAIL, raw, startDouble, stopAllDoubles, TOKEN } from './support';

afterAll(stopAllDoubles);

const comment = (text: string, extra: Record<string, unknown> = {}) => JSON.stringify({ body: textToAdf(text), ...extra });
const NOT_FOUND = { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} };

describe('Jira double: authentication and stand-in header', () => {
  it('answers 401 in Jira\'s shape for a wrong token, an unknown email and no credentials, and marks every answer as a stand-in', async () => {
    const double = await startDouble();
    for (const auth of [`${EMAIL}:wrong`, `someone@example.com:${TOKEN}`, null]) {
      const res = await raw(double, '/rest/api/3/issue/ABC-123', { auth });
      expect(res.status).toBe(401);
      expect(res.headers.get('x-stand-in')).toBe('jira-double');
      expect(await res.json()).toEqual({ errorMessages: ['You are not authenticated. Authentication required to perform this operation.'], errors: {} });
    }
    const ok = await raw(double, '/rest/api/3/issue/ABC-123', { auth: `${EMAIL.toUpperCase()}:${TOKEN}` }); // emails are case-insensitive
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-stand-in')).toBe('jira-double');
  });

  it('knows the seeded issues, finds them by key or id, and answers 404 for unknown keys', async () => {
    const double = await startDouble();
    const res = await raw(double, '/rest/api/3/issue/abc-124');
    const issue = (await res.json()) as { id: string; self: string; key: string; fields: { summary: string; status: { name: string } } };
    expect(issue).toMatchObject({ key: 'ABC-124', fields: { summary: 'Export audit log as CSV', status: { name: 'In Progress' } } });
    expect((await fetch(issue.self, { headers: { authorization: `Basic ${Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64')}` } })).status).toBe(200);

    const missing = await raw(double, '/rest/api/3/issue/ABC-999/comment');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(NOT_FOUND);
    expect(double.state.issues().map((i) => i.key)).toEqual(['ABC-123', 'ABC-124', 'ABC-125', 'ABC-126', 'ABC-127', 'ABC-128']);
  });
});

describe('Jira double: refusing bad requests', () => {
  it('refuses malformed JSON with 400 and stores nothing', async () => {
    const double = await startDouble();
    const res = await raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: '{"body": {"type": "doc",' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorMessages: string[] };
    expect(body.errorMessages[0]).toMatch(/^The request body is not valid JSON/);
    expect(double.state.comments('ABC-123')).toEqual([]);
  });

  it('refuses a body over the limit with 413 and stores nothing', async () => {
    const double = await startDouble();
    const huge = comment('x'.repeat(1024 * 1024));
    const res = await raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: huge });
    expect(res.status).toBe(413);
    expect(res.headers.get('x-stand-in')).toBe('jira-double');
    expect(((await res.json()) as { errorMessages: string[] }).errorMessages[0]).toContain('larger than 1048576 bytes');
    expect(double.state.comments('ABC-123')).toEqual([]);
    // The same server still works afterwards.
    expect((await raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: comment('small') })).status).toBe(201);
  });

  it('refuses a body that is not declared as JSON with 415', async () => {
    const double = await startDouble();
    const res = await raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: comment('hi'), headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(double.state.comments('ABC-123')).toEqual([]);
  });

  it('refuses unknown fields in comment, transition and create-issue requests', async () => {
    const double = await startDouble();
    const post = (path: string, body: unknown) => raw(double, path, { method: 'POST', body: JSON.stringify(body) });

    const c = await post('/rest/api/3/issue/ABC-123/comment', { body: textToAdf('hi'), visibility: { type: 'role', value: 'Administrators' } });
    expect(c.status).toBe(400);
    expect(((await c.json()) as { errorMessages: string[] }).errorMessages[0]).toMatch(/^Unrecognized field "visibility"/);

    const badProp = await post('/rest/api/3/issue/ABC-123/comment', { body: textToAdf('hi'), properties: [{ key: 'pm-agent', value: 1, extra: true }] });
    expect(badProp.status).toBe(400);

    const t = await post('/rest/api/3/issue/ABC-123/transitions', { transition: { id: '21' }, fields: { resolution: 'Done' } });
    expect(t.status).toBe(400);
    expect(double.state.issue('ABC-123')?.status).toBe('In Progress');

    const top = await post('/rest/api/3/issue', { fields: { project: { key: 'ABC' }, summary: 's', issuetype: { name: 'Task' } }, transition: { id: '11' } });
    expect(top.status).toBe(400);
    const field = await post('/rest/api/3/issue', { fields: { project: { key: 'ABC' }, summary: 's', issuetype: { name: 'Task' }, priority: { name: 'High' } } });
    expect(field.status).toBe(400);
    expect(await field.json()).toEqual({ errorMessages: [], errors: { priority: "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown." } });
    expect(double.state.comments('ABC-123')).toEqual([]);
    expect(double.state.issues()).toHaveLength(6);
  });

  it('refuses invalid ADF with Jira\'s comment error, and a missing body with its own', async () => {
    const double = await startDouble();
    const post = (body: unknown) => raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: JSON.stringify(body) });
    const plainString = await post({ body: 'plain text is v2, not v3' });
    expect(plainString.status).toBe(400);
    expect(await plainString.json()).toEqual({ errorMessages: [], errors: { comment: 'Comment body is not valid!' } });
    const madeUp = await post({ body: { type: 'doc', version: 1, content: [{ type: 'marquee' }] } });
    expect(await madeUp.json()).toEqual({ errorMessages: [], errors: { comment: 'Comment body is not valid!' } });
    expect(await (await post({})).json()).toEqual({ errorMessages: [], errors: { comment: 'Comment body can not be empty!' } });
    expect(double.state.comments('ABC-123')).toEqual([]);
  });

  it('validates create-issue fields as Jira does', async () => {
    const double = await startDouble();
    const res = await raw(double, '/rest/api/3/issue', {
      method: 'POST',
      body: JSON.stringify({ fields: { project: { key: 'ABC' }, summary: 'two\nlines', issuetype: { name: 'Saga' }, description: 'not adf' } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      errorMessages: [],
      errors: {
        issuetype: 'The issue type selected is invalid.',
        summary: 'The summary is invalid because it contains newline characters.',
        description: 'Operation value must be an Atlassian Document (see the Atlassian Document Format)',
      },
    });
  });
});

describe('Jira double: comments, transitions, hooks', () => {
  it('pages comments with startAt, maxResults and orderBy, and shows properties only when expanded', async () => {
    const double = await startDouble();
    for (const [i, text] of ['one', 'two', 'three'].entries()) {
      const res = await raw(double, '/rest/api/3/issue/ABC-125/comment', { method: 'POST', body: comment(text, { properties: [{ key: 'pm-agent', value: { suggestionId: `s${i}` } }] }) });
      expect(res.status).toBe(201);
    }
    type Page = { startAt: number; maxResults: number; total: number; comments: { body: unknown; properties?: unknown }[] };
    const page = (await (await raw(double, '/rest/api/3/issue/ABC-125/comment?startAt=1&maxResults=1')).json()) as Page;
    expect(page).toMatchObject({ startAt: 1, maxResults: 1, total: 3 });
    expect(page.comments.map((c) => c.body)).toEqual([textToAdf('two')]);
    expect(page.comments[0]).not.toHaveProperty('properties');

    const newest = (await (await raw(double, '/rest/api/3/issue/ABC-125/comment?orderBy=-created&expand=properties')).json()) as Page;
    expect(newest.comments.map((c) => c.properties)).toEqual([2, 1, 0].map((i) => [{ key: 'pm-agent', value: { suggestionId: `s${i}` } }]));
  });

  it('runs the workflow: lists transitions from the current status, 204 on a valid one, 400 on another', async () => {
    const double = await startDouble();
    const list = (await (await raw(double, '/rest/api/3/issue/ABC-126/transitions')).json()) as { transitions: { id: string; to: { name: string } }[] };
    expect(list.transitions.map((t) => [t.id, t.to.name])).toEqual([['11', 'In Progress']]);

    const wrong = await raw(double, '/rest/api/3/issue/ABC-126/transitions', { method: 'POST', body: JSON.stringify({ transition: { id: '31' } }) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ errorMessages: ["Transition id '31' is not valid for this issue."], errors: {} });

    const ok = await raw(double, '/rest/api/3/issue/ABC-126/transitions', { method: 'POST', body: JSON.stringify({ transition: { id: '11' } }) });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('x-stand-in')).toBe('jira-double');
    expect(await ok.text()).toBe('');
    expect(double.state.issue('ABC-126')?.status).toBe('In Progress');
  });

  it('deletes a comment as Jira does: 204 with no body, 404 once gone or on another issue, 405 for other methods', async () => {
    const double = await startDouble();
    const posted = (await (await raw(double, '/rest/api/3/issue/ABC-125/comment', { method: 'POST', body: comment('delete me') })).json()) as { id: string };
    await raw(double, '/rest/api/3/issue/ABC-125/comment', { method: 'POST', body: comment('keep me') });
    const elsewhere = await raw(double, `/rest/api/3/issue/ABC-126/comment/${posted.id}`, { method: 'DELETE' });
    expect(elsewhere.status).toBe(404);
    expect((await raw(double, `/rest/api/3/issue/ABC-125/comment/${posted.id}`, { method: 'DELETE', auth: `${EMAIL}:wrong` })).status).toBe(401);
    expect((await raw(double, `/rest/api/3/issue/ABC-125/comment/${posted.id}`, { method: 'PUT', body: '{}' })).status).toBe(405);

    const gone = await raw(double, `/rest/api/3/issue/ABC-125/comment/${posted.id}`, { method: 'DELETE' });
    expect(gone.status).toBe(204);
    expect(gone.headers.get('x-stand-in')).toBe('jira-double');
    expect(await gone.text()).toBe('');
    expect(double.state.comments('ABC-125').map((c) => adfToText(c.body))).toEqual(['keep me']);

    const again = await raw(double, `/rest/api/3/issue/ABC-125/comment/${posted.id}`, { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual({ errorMessages: [`Can not find a comment for the id: ${posted.id}.`], errors: {} });
    expect((await raw(double, `/rest/api/3/issue/ABC-999/comment/${posted.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('hands out copies of its state, and calls beforeRespond after the change with what was asked', async () => {
    const double = await startDouble();
    const seen: { method: string; path: string; status: number; issueKey: string | undefined; storedBefore: number }[] = [];
    double.hooks.beforeRespond = async (req) => {
      seen.push({ ...req, storedBefore: double.state.comments('ABC-123').length });
    };
    await raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: comment('hello') });
    expect(seen).toEqual([{ method: 'POST', path: '/rest/api/3/issue/ABC-123/comment', status: 201, issueKey: 'ABC-123', storedBefore: 1 }]);

    const copy = double.state.comments('ABC-123');
    copy.pop();
    expect(double.state.comments('ABC-123')).toHaveLength(1);
  });

  it('logs one line per request without credentials', async () => {
    const lines: string[] = [];
    const double = await startDouble({ log: (l) => lines.push(l) });
    await raw(double, '/rest/api/3/issue/ABC-123');
    await raw(double, '/rest/api/3/issue/ABC-123/comment', { method: 'POST', body: JSON.stringify({ body: { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] } }) });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^GET \/rest\/api\/3\/issue\/ABC-123 200 \d+ms$/);
    expect(lines[1]).toContain('POST /rest/api/3/issue/ABC-123/comment 400');
    expect(lines[1]).toContain('must NOT have fewer than 1 characters'); // why, for the person reading the log
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('refuses seeds that do not fit its projects', async () => {
    await expect(startJiraDouble({ port: 0, email: EMAIL, apiToken: TOKEN, issues: [{ key: 'XYZ-1', summary: 'stray' }] })).rejects.toThrow(/XYZ-1 does not belong/);
  });
});
