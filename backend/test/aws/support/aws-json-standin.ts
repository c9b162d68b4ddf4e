import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A LOCAL STAND-IN for AWS JSON-protocol services (Secrets Manager, Step Functions, SQS), for
 * tests only: it answers `POST /` with `X-Amz-Target: <Service>.<Operation>` the way the real
 * SDK clients expect, on 127.0.0.1 and a free port. It checks no signature: the clients under test
 * are real, the service is not.
 */
export type Operation = (body: any) => Promise<unknown> | unknown;

export interface AwsStandIn {
  endpoint: string;
  calls: Array<{ target: string; body: any }>;
  close(): Promise<void>;
}

export class AwsError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export async function startAwsStandIn(operations: Record<string, Operation>): Promise<AwsStandIn> {
  const calls: AwsStandIn['calls'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      calls.push({ target, body });
      const op = operations[target];
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (!op) return send(400, { __type: 'UnknownOperationException', message: `stand-in has no ${target}` });
      try {
        send(200, await op(body));
      } catch (e) {
        if (e instanceof AwsError) return send(400, { __type: e.type, message: e.message });
        send(500, { __type: 'InternalFailure', message: (e as Error).message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Client settings for the real SDK clients pointed at a stand-in (dummy, non-secret credentials). */
export function clientConfig(endpoint: string) {
  // disableHostPrefix: StartSyncExecution otherwise goes to `sync-<host>`, which a loopback stand-in is not.
  return { endpoint, disableHostPrefix: true, region: 'eu-west-1', credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-not-a-secret' } };
}
