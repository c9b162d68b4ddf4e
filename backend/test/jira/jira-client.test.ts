import { inspect } from 'node:util';
import type { JiraPort } from '../../src/stages/execute/executors';
import { textToAdf } from '../../src/stages/execute/jira/adf';
import { JiraClient } from '../../src/stages/execute/jira/jira-client';
import { JiraError, JiraTransitionError } from '../../src/stages/execute/jira/jira-errors';
import { clientFor, EMAIL, startDouble, stopAllDoubles, TOKEN } from './support';

afterAll(stopAllDoubles);

/** The error a promise rejects with, typed; fails the test if it resolves. */
async function failure<E extends Error>(p: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const outcome = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(type);
  return outcome as E;
}

const TOKEN_B64 = Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64');

describe('JiraClient against the Jira double', () => {
  it('reads an issue (and is usable as the execute stage\'s JiraPort)', async () => {
    const jira = clientFor(await startDouble());
    const port: JiraPort = jira; // compile-time: the executors can take this client as is
    expect(port).toBe(jira);
    const issue = await jira.getIssue('ABC-123');
    expect(issue).toMatchObject({ key: 'ABC-123', summary: 'Integrate Northwind sandbox API', status: { name: 'In Progress' }, issueType: 'Task', projectKey: 'ABC' });
  });

  it('sends Basic auth of email:token and posts the comment as ADF with the marker as a property', async () => {
    const double = await startDouble();
    const seen: { auth: string | null; body: unknown }[] = [];
    const spy: typeof fetch = async (input, init) => {
      seen.push({ auth: new Headers(init?.headers).get('authorization'), body: init?.body ? JSON.parse(String(init.body)) : undefined });
      return fetch(input, init);
    };
    const jira = clientFor(double, { fetch: spy });
    const posted = await jira.addComment('ABC-123', { text: 'Sandbox moves to 4 December.\n\nRelease date unchanged.', marker: 'sug-1' });

    expect(seen[0]?.auth).toBe(`Basic ${TOKEN_B64}`);
    expect(seen[0]?.body).toEqual({ body: textToAdf('Sandbox moves to 4 December.\n\nRelease date unchanged.'), properties: [{ key: 'pm-agent', value: { suggestionId: 'sug-1' } }] });
    expect(posted).toEqual({ id: expect.stringMatching(/^\d+$/), self: `${double.url}/rest/api/3/issue/10100/comment/${posted.id}`, created: expect.any(String) });
    const stored = double.state.comments('ABC-123');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.properties).toEqual([{ key: 'pm-agent', value: { suggestionId: 'sug-1' } }]);
  });

  it('lists comments with body, text, author and properties', async () => {
    const jira = clientFor(await startDouble({ displayName: 'PM Agent (test)' }));
    await jira.addComment('ABC-124', { text: 'first', marker: 'm-1' });
    await jira.addComment('ABC-124', { text: 'second\nline', marker: 'm-2' });

    const plain = await jira.listComments('ABC-124');
    expect(plain.map((c) => c.text)).toEqual(['first', 'second\nline']);
    expect(plain[0]?.properties).toEqual([]); // not expanded
    expect(plain[0]?.author?.displayName).toBe('PM Agent (test)');
    expect(plain[1]?.body).toEqual(textToAdf('second\nline'));

    const expanded = await jira.listComments('ABC-124', { expandProperties: true });
    expect(expanded.map((c) => c.marker)).toEqual(['m-1', 'm-2']);
  });

  it('finds a comment by its marker across pages, and returns null for an unknown marker', async () => {
    const double = await startDouble();
    const jira = clientFor(double);
    const first = await jira.addComment('ABC-126', { text: 'the one we look for', marker: 'target' });
    for (let i = 0; i < 105; i++) await jira.addComment('ABC-126', { text: `noise ${i}`, marker: `noise-${i}` });

    const pages: string[] = [];
    const counting = clientFor(double, {
      fetch: (input, init) => {
        pages.push(String(input));
        return fetch(input, init);
      },
    });
    const found = await counting.findCommentByMarker('ABC-126', 'target');
    expect(found?.id).toBe(first.id);
    expect(found?.text).toBe('the one we look for');
    expect(pages).toHaveLength(2); // newest first, 100 a page: the oldest comment is on page two
    expect(await jira.findCommentByMarker('ABC-126', 'never-posted')).toBeNull();
  });

  it('deletes a comment (204), and says "gone" when Jira answers 404 for it', async () => {
    const double = await startDouble();
    const jira = clientFor(double);
    const posted = await jira.addComment('ABC-124', { text: 'to be undone', marker: 'sug-undo' });
    expect(await jira.deleteComment('ABC-124', posted.id)).toBe('deleted');
    expect(double.state.comments('ABC-124')).toEqual([]);
    expect(await jira.deleteComment('ABC-124', posted.id)).toBe('gone');
    expect(await jira.findCommentByMarker('ABC-124', 'sug-undo')).toBeNull();
  });

  it('makes a retried post idempotent: the comment stored before a dropped answer is found by marker', async () => {
    const double = await startDouble();
    const jira = clientFor(double);
    double.hooks.beforeRespond = async (req) => {
      if (req.method === 'POST' && req.path.endsWith('/comment')) throw new Error('crash after storing');
    };
    const err = await failure(jira.addComment('ABC-125', { text: 'VAT fix deployed to staging.', marker: 'sug-crash' }), JiraError);
    expect(err.kind).toBe('network');
    expect(err.retryable).toBe(true);
    double.hooks.beforeRespond = undefined;

    expect(double.state.comments('ABC-125')).toHaveLength(1); // Jira did store it
    const found = await jira.findCommentByMarker('ABC-125', 'sug-crash');
    expect(found?.text).toBe('VAT fix deployed to staging.');
  });

  it('times out when the answer is held, says it may have happened, and the marker finds it', async () => {
    const double = await startDouble();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    double.hooks.beforeRespond = (req) => (req.method === 'POST' ? held : Promise.resolve());
    const jira = clientFor(double, { timeoutMs: 300 });

    const err = await failure(jira.addComment('ABC-127', { text: 'Report sent.', marker: 'sug-slow' }), JiraError);
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/did not answer within 300 ms.*may or may not have done it/);
    release();
    expect((await jira.findCommentByMarker('ABC-127', 'sug-slow'))?.text).toBe('Report sent.');
  });

  it('moves an issue by status name or transition name, case-insensitively', async () => {
    const double = await startDouble();
    const jira = clientFor(double);
    expect(await jira.listTransitions('ABC-124')).toEqual(
      expect.arrayContaining([{ id: '21', name: 'Request Review', to: { id: '10001', name: 'In Review' } }]),
    );

    expect(await jira.transitionTo('ABC-124', '  in REVIEW ')).toEqual({ status: 'In Review', changed: true, transitionId: '21' });
    expect(double.state.issue('ABC-124')?.status).toBe('In Review');

    // "Request Changes" is a transition name whose target is In Progress.
    expect(await jira.transitionTo('ABC-124', 'request changes')).toMatchObject({ status: 'In Progress', changed: true });
    expect(double.state.issue('ABC-124')?.status).toBe('In Progress');
  });

  it('treats moving to the status the issue already has as done (a retried status change is harmless)', async () => {
    const double = await startDouble();
    const result = await clientFor(double).transitionTo('ABC-128', 'done');
    expect(result).toEqual({ status: 'Done', changed: false, transitionId: undefined });
    expect(double.state.issue('ABC-128')?.status).toBe('Done');
  });

  it('refuses a status the workflow cannot reach, listing the ones it can', async () => {
    const double = await startDouble();
    const err = await failure(clientFor(double).transitionTo('ABC-125', 'Done'), JiraTransitionError);
    expect(err).toBeInstanceOf(JiraError);
    expect(err.kind).toBe('no_such_transition');
    expect(err.currentStatus).toBe('To Do');
    expect(err.available).toEqual([{ id: '11', name: 'Start Progress', toStatus: 'In Progress' }]);
    expect(err.message).toBe('ABC-125 cannot move to "Done" from "To Do": its workflow allows "In Progress" (via "Start Progress").');
    expect(double.state.issue('ABC-125')?.status).toBe('To Do');
  });

  it('creates an issue with an ADF description and the marker as an issue property', async () => {
    const double = await startDouble();
    const jira = clientFor(double);
    const created = await jira.createIssue({
      projectKey: 'ABC',
      issueType: 'Task',
      summary: 'Confirm webhook endpoints in the Northwind sandbox',
      description: 'Dana to confirm.\n\n<b>not bold</b>',
      marker: 'sug-new',
    });
    expect(created).toEqual({ id: expect.stringMatching(/^\d+$/), key: 'ABC-129', self: `${double.url}/rest/api/3/issue/${created.id}` });
    expect(double.state.issue('ABC-129')).toMatchObject({
      summary: 'Confirm webhook endpoints in the Northwind sandbox',
      status: 'To Do',
      issueType: 'Task',
      description: textToAdf('Dana to confirm.\n\n<b>not bold</b>'),
      properties: [{ key: 'pm-agent', value: { suggestionId: 'sug-new' } }],
    });
    expect((await jira.getIssue('ABC-129')).summary).toBe('Confirm webhook endpoints in the Northwind sandbox');

    const bare = await jira.createIssue({ projectKey: 'ABC', issueType: 'Bug', summary: 'No description', description: '  ', marker: 'sug-bare' });
    expect(double.state.issue(bare.key)?.description).toBeNull(); // blank descriptions are left out
  });
});

describe('JiraClient errors', () => {
  it('401: says the credentials were refused, and never exposes the token', async () => {
    const double = await startDouble();
    const jira = new JiraClient({ baseUrl: double.url, email: EMAIL, apiToken: `${TOKEN}-wrong` });
    const err = await failure(jira.getIssue('ABC-123'), JiraError);
    expect(err).toMatchObject({ kind: 'unauthorized', status: 401, errorMessages: ['You are not authenticated. Authentication required to perform this operation.'] });
    expect(err.message).toMatch(/^Jira refused the credentials while trying to read issue ABC-123: check the Jira email and API token/);
    expect(err.retryable).toBe(false);
    for (const shown of [err.message, JSON.stringify(err), inspect(err), String(err.stack), JSON.stringify(jira), inspect(jira)]) {
      expect(shown).not.toContain(TOKEN);
      expect(shown).not.toContain(Buffer.from(`${EMAIL}:${TOKEN}-wrong`).toString('base64'));
      expect(shown).not.toMatch(/Basic /);
    }
  });

  it('404: names the issue that does not exist or cannot be seen', async () => {
    const jira = clientFor(await startDouble());
    const err = await failure(jira.addComment('ABC-999', { text: 'hello', marker: 'm' }), JiraError);
    expect(err).toMatchObject({ kind: 'not_found', status: 404, errorMessages: ['Issue does not exist or you do not have permission to see it.'] });
    expect(err.message).toContain('issue ABC-999 does not exist or the app cannot see it');
  });

  it('400: invalid ADF sent raw is refused with Jira\'s field error, and nothing is stored', async () => {
    const double = await startDouble();
    const jira = clientFor(double);
    const emptyText = { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }] };
    const err = await failure(jira.addCommentAdf('ABC-123', { body: emptyText, marker: 'm' }), JiraError);
    expect(err).toMatchObject({ kind: 'bad_request', status: 400, errors: { comment: 'Comment body is not valid!' } });
    expect(err.message).toContain('Jira said: comment: Comment body is not valid!');
    expect(double.state.comments('ABC-123')).toEqual([]);
  });

  it('400: an unknown project on create carries Jira\'s field errors', async () => {
    const jira = clientFor(await startDouble());
    const err = await failure(jira.createIssue({ projectKey: 'NOPE', issueType: 'Task', summary: 's', description: '', marker: 'm' }), JiraError);
    expect(err).toMatchObject({ kind: 'bad_request', status: 400, errors: { project: 'Specify a valid project ID or key' } });
    expect(err.message).toMatch(/create a Task in project NOPE.*project: Specify a valid project ID or key/);
  });

  it('network: nothing listening is a retryable network error that names the URL', async () => {
    const double = await startDouble();
    await double.close();
    const err = await failure(clientFor(double).getIssue('ABC-123'), JiraError);
    expect(err).toMatchObject({ kind: 'network', status: 0 });
    expect(err.retryable).toBe(true);
    expect(err.message).toContain(`Could not reach Jira at ${double.url}`);
  });

  it('refuses an answer that is not shaped as the API documents', async () => {
    const jira = new JiraClient({ baseUrl: 'https://example.atlassian.net', email: EMAIL, apiToken: TOKEN, fetch: async () => Response.json({ id: 1, key: 'ABC-1' }) });
    const err = await failure(jira.getIssue('ABC-1'), JiraError);
    expect(err.kind).toBe('unexpected_response');
    expect(err.message).toMatch(/not shaped as the REST v3 API documents: id /);
  });

  it('keeps a plain-text error body (as Jira Cloud sends on some 401s) and redacts the token if echoed', async () => {
    const fake: typeof fetch = async () => new Response(`Client must be authenticated. Got ${TOKEN}`, { status: 401, headers: { 'content-type': 'text/plain' } });
    const jira = new JiraClient({ baseUrl: 'https://example.atlassian.net/', email: EMAIL, apiToken: TOKEN, fetch: fake });
    const err = await failure(jira.getIssue('ABC-1'), JiraError);
    expect(err.errorMessages).toEqual(['Client must be authenticated. Got [redacted]']);
    expect(JSON.stringify(err)).not.toContain(TOKEN);
  });

  it('reports 429 with the Retry-After delay as retryable', async () => {
    const fake: typeof fetch = async () => Response.json({ errorMessages: ['Rate limit exceeded.'], errors: {} }, { status: 429, headers: { 'retry-after': '7' } });
    const err = await failure(new JiraClient({ baseUrl: 'https://example.atlassian.net', email: EMAIL, apiToken: TOKEN, fetch: fake }).getIssue('ABC-1'), JiraError);
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterSeconds: 7 });
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('Retry after 7 s');
  });

  it('refuses credentials inside the base URL', () => {
    expect(() => new JiraClient({ baseUrl: `https://me:${TOKEN}@example.atlassian.net`, email: EMAIL, apiToken: TOKEN })).toThrow(/not inside the base URL/);
  });
});
