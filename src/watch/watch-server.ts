import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nanoid } from 'nanoid';
import type { WatchEvent } from './watch-events.js';

export interface WatchServer {
  // The page to open: http://127.0.0.1:PORT/<token>/
  readonly url: string;
  publish(event: WatchEvent): void;
  stop(): Promise<void>;
}

// A run emits a few hundred events; the cap bounds memory if a lane floods the proxy.
const MAX_KEPT = 20_000;
const KEEP_ALIVE_MS = 15_000;

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Serves the live view on 127.0.0.1 only: the page, and its events as Server-Sent Events. The
// path carries a random token (another user of the machine cannot guess the URL), and a request
// whose Host is not this address is refused, so a web page that rebinds a name of its own to
// 127.0.0.1 cannot read the run. A page opened late, or reconnecting, gets what it missed.
export async function startWatchServer(port: number, page: (nonce: string) => string): Promise<WatchServer> {
  const token = nanoid(24);
  const events: string[] = [];
  const streams = new Set<ServerResponse>();
  let bound = 0;
  const server = createServer((req, res) => {
    const security = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
    if (req.headers.host !== `127.0.0.1:${bound}`) {
      res.writeHead(421, { 'content-type': 'text/plain', ...security }).end('misdirected request\n');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET', ...security }).end();
      return;
    }
    if (req.url === `/${token}/`) {
      const nonce = nanoid(24);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': contentSecurityPolicy(nonce), ...security });
      res.end(page(nonce));
      return;
    }
    if (req.url === `/${token}/events`) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', connection: 'keep-alive', ...security });
      const lastSeen = Number(req.headers['last-event-id'] ?? -1);
      const from = Number.isInteger(lastSeen) ? lastSeen + 1 : 0;
      events.forEach((data, id) => {
        if (id >= from) res.write(`id: ${id}\ndata: ${data}\n\n`);
      });
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain', ...security }).end('not found\n');
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  bound = (server.address() as AddressInfo).port;
  const keepAlive = setInterval(() => {
    for (const stream of streams) stream.write(': keep-alive\n\n');
  }, KEEP_ALIVE_MS);
  keepAlive.unref();
  return {
    url: `http://127.0.0.1:${bound}/${token}/`,
    publish(event) {
      if (events.length >= MAX_KEPT && event.kind !== 'verdict') return;
      const id = events.length;
      const data = JSON.stringify(event);
      events.push(data);
      for (const stream of streams) stream.write(`id: ${id}\ndata: ${data}\n\n`);
    },
    async stop() {
      clearInterval(keepAlive);
      for (const stream of streams) stream.end();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
