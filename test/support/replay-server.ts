import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './cli.js';

// A recorded answer is either the bytes a real server sent (`raw`, or `raw_base64` when they are
// not UTF-8), or, for servers that cannot run here, a status and a body taken from their docs
// and source, sent with the plainest headers.
export interface FixtureExchange {
  readonly request: { readonly method: string; readonly path: string; readonly authorization?: string; readonly stream?: boolean };
  readonly response: {
    readonly status_line?: string;
    readonly closes_connection?: boolean;
    readonly raw?: string;
    readonly raw_base64?: string;
    readonly status?: number;
    readonly json?: unknown;
    readonly text?: string;
  };
}

export interface ServerFixture {
  readonly server: string;
  readonly source: string;
  readonly admitted_model: string;
  readonly llama_cpp_commit?: string;
  readonly scenarios: Record<string, { readonly note: string; readonly exchanges: readonly FixtureExchange[] }>;
}

export function loadServerFixture(name: string): ServerFixture {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'servers', name), 'utf8')) as ServerFixture;
}

// The one llama.cpp recording (its name carries the llama.cpp commit it was recorded from).
export function llamaCppFixtureName(): string {
  const names = readdirSync(join(ROOT, 'test', 'fixtures', 'servers')).filter((name) => name.startsWith('llama-cpp-'));
  if (names.length !== 1) throw new Error(`expected one llama-cpp-*.json recording, found ${names.length}`);
  return names[0]!;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | null;
  readonly body: string;
  readonly connection: number;
}

export interface ReplayServer {
  readonly url: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  // How many connections the server closed itself after an answer, as the recording said.
  readonly closedByServer: () => number;
  // Requests that came on a connection already being closed, and were reset (lateCloseMs).
  readonly resets: () => number;
  close(): Promise<void>;
}

function answerBytes(exchange: FixtureExchange): Buffer {
  const { response } = exchange;
  if (response.raw !== undefined) return Buffer.from(response.raw, 'utf8');
  if (response.raw_base64 !== undefined) return Buffer.from(response.raw_base64, 'base64');
  const body = Buffer.from(response.json !== undefined ? JSON.stringify(response.json) : (response.text ?? ''), 'utf8');
  const type = response.json !== undefined ? 'application/json' : 'text/plain';
  return Buffer.concat([Buffer.from(`HTTP/1.1 ${response.status ?? 200} X\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`, 'latin1'), body]);
}

const NOT_FOUND = Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}', 'latin1');

export interface ReplayOptions {
  // When the recording says the server closed the connection, close it this long after the
  // answer instead of at once, and reset it if a request comes on it meanwhile, as a closed
  // socket does: the race in which a client's next request goes out before it has seen the close.
  readonly lateCloseMs?: number;
}

// A loopback TCP server that answers each request with the recorded bytes for the same method,
// path (query included) and presence of a key, and closes the connection after it when the real
// server did. A path asked for again gets the next recording for it, then the last one again.
export async function startReplayServer(exchanges: readonly FixtureExchange[], options: ReplayOptions = {}): Promise<ReplayServer> {
  const seen: SeenRequest[] = [];
  const asked = new Map<string, number>();
  const sockets = new Set<Socket>();
  let connections = 0;
  let closedByServer = 0;
  let resets = 0;
  const keyOf = (method: string, path: string, keyed: boolean) => `${method} ${path}${keyed ? ' (key)' : ''}`;

  const pick = (method: string, path: string, keyed: boolean): FixtureExchange | undefined => {
    const matching = exchanges.filter((e) => e.request.method === method && e.request.path === path && Boolean(e.request.authorization) === keyed);
    const candidates = matching.length > 0 ? matching : exchanges.filter((e) => e.request.method === method && e.request.path === path);
    if (candidates.length === 0) return undefined;
    const key = keyOf(method, path, keyed);
    const n = asked.get(key) ?? 0;
    asked.set(key, n + 1);
    return candidates[Math.min(n, candidates.length - 1)];
  };

  const server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let closing = false;
    socket.on('data', (chunk: Buffer) => {
      if (closing) {
        resets += 1;
        socket.resetAndDestroy();
        return;
      }
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const [method = '', path = ''] = (head[0] ?? '').split(' ');
        const header = (name: string) => head.find((line) => line.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? null;
        const length = Number(header('content-length') ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        buffer = buffer.subarray(end + 4 + length);
        const authorization = header('authorization');
        seen.push({ method, path, authorization, body, connection });
        const exchange = pick(method, path, authorization !== null);
        socket.write(exchange ? answerBytes(exchange) : NOT_FOUND);
        if (exchange?.response.closes_connection) {
          closedByServer += 1;
          if (options.lateCloseMs === undefined) {
            socket.end();
          } else {
            closing = true;
            setTimeout(() => socket.end(), options.lateCloseMs);
          }
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    closedByServer: () => closedByServer,
    resets: () => resets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
