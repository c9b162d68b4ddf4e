import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { App } from './app';

/** Serves the web-standard app over node:http. Binds loopback unless told otherwise. */
export async function serve(app: App, opts: { port: number; host?: string }): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => void handle(app, req, res));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const rawPath = req.url ?? '/';
    const headers = pairs(req.rawHeaders);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(`http://${req.headers.host ?? 'localhost'}${rawPath}`, {
      method: req.method,
      headers: headers.filter(([name]) => !name.startsWith(':')),
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    const response = await app(request, { rawPath, headers });
    await send(response, req, res);
  } catch (e) {
    // Only reachable for transport-level faults (e.g. a header Node accepted but fetch's Headers refuses).
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'bad_request', message: `The request could not be read: ${(e as Error).message}` }));
  }
}

async function send(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  // If the app answered without reading the whole body (413), close the connection rather than read the rest.
  if (!req.complete) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
  if (!req.complete) res.once('finish', () => req.destroy());
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}
