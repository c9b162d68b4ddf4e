/* eslint-disable @typescript-eslint/no-require-imports */
import { serveStage } from '@pm-agent/backend/stages';

/**
 * A test-only stage that tries every way out a compromised triage stage might take to the local
 * stack (the dev issuer, STS, the local host) and reports what happened to each: fetch, net,
 * tls, http, dns, udp and a child process. `model` is the one origin the relay should reach.
 */
type Targets = { devToken: string; sts: string; host: string; model: string };
type Result = { ok: true; detail: string } | { ok: false; code: string };

const settle = (p: () => Promise<string>, ms = 3_000): Promise<Result> =>
  new Promise<Result>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, code: 'TIMEOUT' }), ms);
    let started: Promise<string>;
    try {
      started = p();
    } catch (e) {
      clearTimeout(timer);
      return resolve({ ok: false, code: codeOf(e) });
    }
    started.then(
      (detail) => (clearTimeout(timer), resolve({ ok: true, detail })),
      (e: unknown) => (clearTimeout(timer), resolve({ ok: false, code: codeOf(e) })),
    );
  });

function codeOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  return err?.code ?? err?.cause?.code ?? err?.name ?? String(e);
}

serveStage(async (input) => {
  const t = input as Targets;
  const port = (u: string) => Number(new URL(u).port);
  const net = require('node:net') as typeof import('node:net');
  const tls = require('node:tls') as typeof import('node:tls');
  const http = require('node:http') as typeof import('node:http');
  const dns = require('node:dns') as typeof import('node:dns');
  const dgram = require('node:dgram') as typeof import('node:dgram');
  const cp = require('node:child_process') as typeof import('node:child_process');
  const connected = (s: import('node:net').Socket) =>
    new Promise<string>((res, rej) => {
      s.once('connect', () => (s.destroy(), res('connected')));
      s.once('error', rej);
    });
  return {
    fetchDevToken: await settle(async () => {
      const r = await fetch(t.devToken, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'probe', name: 'Probe', email: 'probe@example.com' }) });
      return `HTTP ${r.status}`;
    }),
    fetchSts: await settle(async () => `HTTP ${(await fetch(t.sts, { method: 'POST', body: 'Action=AssumeRoleWithWebIdentity' })).status}`),
    fetchHost: await settle(async () => `HTTP ${(await fetch(t.host)).status}`),
    netConnect: await settle(() => connected(net.connect(port(t.devToken), '127.0.0.1'))),
    socketConnect: await settle(() => connected(new net.Socket().connect(port(t.host), '127.0.0.1'))),
    tlsConnect: await settle(() => connected(tls.connect({ port: port(t.sts), host: '127.0.0.1', rejectUnauthorized: false }))),
    httpRequest: await settle(
      () =>
        new Promise<string>((res, rej) => {
          const req = http.request(t.sts, { method: 'POST' }, (r) => (r.resume(), res(`HTTP ${r.statusCode}`)));
          req.on('error', rej);
          req.end('Action=AssumeRoleWithWebIdentity');
        }),
    ),
    dnsLookup: await settle(() => new Promise<string>((res, rej) => dns.lookup('localhost', (e, a) => (e ? rej(e) : res(String(a)))))),
    dnsPromises: await settle(async () => String((await dns.promises.lookup('localhost')).address)),
    udp: await settle(
      () =>
        new Promise<string>((res, rej) => {
          const s = dgram.createSocket('udp4');
          s.send('x', port(t.host), '127.0.0.1', (e) => (s.close(), e ? rej(e) : res('sent')));
        }),
    ),
    childCurl: await settle(async () => String(cp.execFileSync('/usr/bin/curl', ['-s', t.host]))),
    fetchModel: await settle(async () => {
      const r = await fetch(`${t.model}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"ping":true}' });
      return `HTTP ${r.status} ${await r.text()}`;
    }),
    fetchModelRedirect: await settle(async () => {
      const r = await fetch(`${t.model}/redirect`, { redirect: 'follow' });
      return `HTTP ${r.status}`;
    }),
  };
});
