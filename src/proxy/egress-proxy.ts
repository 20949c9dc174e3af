import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { unbracket } from '../local-server/base-url.js';
import type { EgressAttempt } from '../evidence/egress-log.js';
import { openJsonlAppender } from './jsonl-appender.js';
import { listenOnLoopback } from './loopback-server.js';

export interface EgressDenyProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

const FORBIDDEN = 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'ws:': 80, 'wss:': 443, 'ftp:': 21 };
const MAX_HOST_LENGTH = 253;

interface Target {
  host: string;
  port: number;
}

// Only host and port are ever kept. Userinfo in an authority (`user:pass@host`) is cut off before
// parsing, and anything unparsable is still an attempt, recorded with an empty host and port 0.
const UNPARSABLE: Target = { host: '', port: 0 };

function parseAuthority(authority: string, defaultPort: number | null): Target {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]\s/]+)(?::(\d{1,5}))?$/.exec(hostPort);
  const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
  if (!match?.[1] || port === null || port > 65535) return UNPARSABLE;
  return { host: unbracket(match[1]).toLowerCase().slice(0, MAX_HOST_LENGTH), port };
}

function targetOf(req: IncomingMessage): Target {
  const raw = req.url ?? '';
  if (req.method === 'CONNECT') return parseAuthority(raw, null);
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]*)/i.exec(raw);
  if (scheme?.[1] !== undefined && scheme[2] !== undefined) {
    return parseAuthority(scheme[2], DEFAULT_PORTS[scheme[1].toLowerCase()] ?? null);
  }
  // Origin-form (`GET /path`): a client that treats this as the server itself; the Host header
  // still names where it meant to go.
  return parseAuthority(req.headers.host ?? '', 80);
}

// onAttempt is told of each attempt as it is recorded, so a lane can be watched as it runs.
export async function startEgressDenyProxy(opts: { logFile: string; socketPath?: string; onAttempt?: (attempt: EgressAttempt) => void }): Promise<EgressDenyProxy> {
  const log = await openJsonlAppender(opts.logFile);
  const record = (method: string, target: Target): void => {
    const attempt: EgressAttempt = { time: new Date().toISOString(), method: method.slice(0, 16), ...target };
    log.append(attempt);
    opts.onAttempt?.(attempt);
  };
  const refuseSocket = (req: IncomingMessage, socket: Duplex): void => {
    record(req.method ?? '', targetOf(req));
    socket.on('error', () => socket.destroy());
    socket.end(FORBIDDEN);
  };

  const server = createServer((req, res) => {
    record(req.method ?? '', targetOf(req));
    res.writeHead(403, { 'content-length': 0, connection: 'close' });
    res.end();
  });
  server.on('connect', refuseSocket);
  server.on('upgrade', refuseSocket);
  // Bytes that are not HTTP at all (a SOCKS handshake sent to ALL_PROXY, say) are an attempt too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code?.startsWith('HPE_')) record('INVALID', UNPARSABLE);
    socket.on('error', () => socket.destroy());
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const listener = await listenOnLoopback(server, 0, opts.socketPath).catch(async (error: unknown) => {
    await log.close().catch(() => undefined);
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${listener.port}`,
    port: listener.port,
    close() {
      closing ??= listener.close().then(() => log.close());
      return closing;
    },
  };
}
