import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createParser } from 'eventsource-parser';
import { listenOnLoopback } from '../../src/proxy/loopback-server.js';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeServer {
  url: string;
  port: number;
  seen: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

// A real HTTP server on 127.0.0.1 that records what it was sent and answers from a route table
// keyed by "METHOD /path"; anything else is a 404, as a plain OpenAI-compatible server would say.
export async function startFakeServer(routes: Record<string, Handler>): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const handler = routes[`${req.method ?? ''} ${(req.url ?? '').split('?')[0] ?? ''}`];
      if (handler) handler(req, res, body);
      else sendJson(res, 404, { error: 'not found' });
    });
  });
  const listener = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${listener.port}`, port: listener.port, seen, close: listener.close };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function makeTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'case-route-provider-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

// A port nothing listens on: bound, then released.
export async function deadPort(): Promise<number> {
  const listener = await listenOnLoopback(createServer());
  await listener.close();
  return listener.port;
}

export function parseSse(text: string): string[] {
  const events: string[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event.data) });
  parser.feed(text);
  return events;
}
