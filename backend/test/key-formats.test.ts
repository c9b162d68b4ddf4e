import { createBackendClient, InvalidRequestError, staticCredentials } from '@pm-agent/backend-client';
import { Problem } from '../src/domain/problem';
import { idempotencyKey } from '../src/api/handlers/suggestions';
import type { RouteContext } from '../src/api/http/context';
import { MessageKeySchema } from '../src/contracts/stage-io';

/**
 * The client refuses exactly the keys the server refuses: both check the formats in shared/keys.ts.
 * Before they were one definition the client sent keys the server answered 400 to ('key-123', a
 * 255-character key, '/' or '+').
 */
const SUGGESTION_ID = 'sug_0123456789abcdefghij';
const KEYS = ['key-123', 'x', 'has space', 'a/b+c=d', 'k'.repeat(129), 'ÿ-unicode-key', 'key-1234', 'panel-click-42', crypto.randomUUID(), 'a.b:c_d-e', 'k'.repeat(128)];

/** The server's check, as the approve route runs it on the request's header. */
function serverAccepts(key: string): boolean {
  const ctx = { req: new Request('http://127.0.0.1/v1/x', { headers: { 'idempotency-key': key } }) } as unknown as RouteContext;
  try {
    idempotencyKey(ctx);
    return true;
  } catch (e) {
    if (e instanceof Problem) return false;
    throw e;
  }
}

/** The client's check: sent (reached fetch) or refused before sending. */
async function clientSends(key: string): Promise<boolean> {
  let sent = false;
  const client = createBackendClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'local',
    credentials: staticCredentials({ accessKeyId: 'AKIATEST', secretAccessKey: 'not-a-secret' }),
    maxRetries: 0,
    fetch: async () => {
      sent = true;
      return new Response('{}', { status: 500, headers: { 'content-type': 'application/json' } });
    },
  });
  try {
    await client.approveSuggestion(SUGGESTION_ID, { payloadHash: 'a'.repeat(64) }, { idempotencyKey: key });
  } catch (e) {
    if (e instanceof InvalidRequestError) return false;
  }
  return sent;
}

it.each(KEYS)('Idempotency-Key %j: the client sends it exactly when the server accepts it', async (key) => {
  expect(await clientSends(key)).toBe(serverAccepts(key));
});

it('the list holds keys on both sides of the line', () => {
  const accepted = KEYS.filter(serverAccepts);
  expect(accepted.length).toBeGreaterThan(0);
  expect(accepted.length).toBeLessThan(KEYS.length);
});

it.each(['msg_' + 'a'.repeat(32), 'msg_' + 'A'.repeat(32), 'msg_' + 'a'.repeat(31), 'sug_' + 'a'.repeat(32)])('message key %j: the client asks for it exactly when the server would look it up', async (key) => {
  let sent = false;
  const client = createBackendClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'local',
    credentials: staticCredentials({ accessKeyId: 'AKIATEST', secretAccessKey: 'not-a-secret' }),
    maxRetries: 0,
    fetch: async () => {
      sent = true;
      return new Response('{}', { status: 500, headers: { 'content-type': 'application/json' } });
    },
  });
  await client.getTriage(key).catch(() => undefined);
  expect(sent).toBe(MessageKeySchema.safeParse(key).success);
});
