import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { isLoopbackHost, parseBaseUrl } from './base-url.js';
import { openJsonlAppender, readJsonl } from './jsonl-file.js';
import { listenOnLoopback } from './loopback-server.js';
import { endToEndHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { allowedRoute, checkCompletionBody, laneTokenCheck, REFUSAL_STATUS, requestPath, type ProxyRoute, type RefusalReason } from './proxy-rules.js';
import { readRequestBody } from './request-body.js';

export type { RefusalReason } from './proxy-rules.js';

export interface RecordingProxyOptions {
  upstream: string;
  admittedModel: string;
  laneToken: string;
  upstreamApiKey?: string;
  auditFile: string;
  maxBodyBytes?: number;
  // Also listen here: the way in from a sandboxed lane.
  socketPath?: string;
}

export interface AuditRecord {
  time: string;
  method: string;
  path: string;
  model: string | null;
  status: number;
  bytes_in: number;
  bytes_out: number;
  latency_ms: number;
  streamed: boolean;
  refused: RefusalReason | null;
}

export interface RecordingProxy {
  url: string;
  port: number;
  close(): Promise<void>;
}

const REFUSAL_REASONS = Object.keys(REFUSAL_STATUS) as [RefusalReason, ...RefusalReason[]];

const AuditRecordSchema: z.ZodType<AuditRecord> = z.strictObject({
  time: z.iso.datetime(),
  method: z.string(),
  path: z.string(),
  model: z.string().nullable(),
  status: z.number().int(),
  bytes_in: z.number().int().nonnegative(),
  bytes_out: z.number().int().nonnegative(),
  latency_ms: z.number().nonnegative(),
  streamed: z.boolean(),
  refused: z.enum(REFUSAL_REASONS).nullable(),
});

export function readAudit(auditFile: string): Promise<AuditRecord[]> {
  return readJsonl(auditFile, AuditRecordSchema);
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
const MAX_AUDITED_TEXT = 200;

function isEventStream(contentType: string | undefined): boolean {
  return contentType?.toLowerCase().startsWith('text/event-stream') === true;
}

interface Exchange {
  readonly started: number;
  readonly time: string;
  readonly method: string;
  readonly path: string;
  model: string | null;
  bytesIn: number;
  bytesOut: number;
  streamed: boolean;
  refused: RefusalReason | null;
}

export async function startRecordingProxy(opts: RecordingProxyOptions): Promise<RecordingProxy> {
  if (opts.laneToken === '') throw new Error('the lane token must not be empty');
  if (opts.admittedModel === '') throw new Error('the admitted model must not be empty');
  const upstream = parseBaseUrl(opts.upstream);
  // Defence in depth behind the loopback gate: this proxy is the proof that Case only reached
  // the local server, so it will not start pointed anywhere else.
  if (!isLoopbackHost(upstream.hostname)) throw new Error('the upstream must be a loopback address');
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const secure = upstream.origin.startsWith('https:');
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const audit = await openJsonlAppender(opts.auditFile);
  const carriesLaneToken = laneTokenCheck(opts.laneToken);
  const inFlight = new Set<Promise<void>>();

  const refuse = (res: ServerResponse, exchange: Exchange, reason: RefusalReason): void => {
    exchange.refused = reason;
    const body = JSON.stringify({
      error: { message: `refused by the case-local-route proxy: ${reason}`, type: 'case_local_route_refusal', code: reason, param: null },
    });
    const headers: OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    if (reason === 'bad_token') headers['www-authenticate'] = 'Bearer';
    // A body refused unread (or too large) is not drained: the connection ends with the answer.
    if (reason === 'bad_token' || reason === 'path_not_allowed' || reason === 'body_too_large') {
      headers['connection'] = 'close';
    }
    exchange.bytesOut += Buffer.byteLength(body);
    res.writeHead(REFUSAL_STATUS[reason], headers);
    res.end(body);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, exchange: Exchange, route: ProxyRoute, body: Uint8Array | null): void => {
    let clientGone = false;
    let upstreamFailed = false;
    const upstreamRequest = (secure ? httpsRequest : httpRequest)({
      hostname: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: `${upstream.prefix}${route.slice(route.indexOf(' ') + 1)}`,
      headers: upstreamRequestHeaders(req.headers, opts.upstreamApiKey, body === null ? null : body.length),
      agent,
    });
    const dropUpstream = (): void => {
      if (res.writableFinished || upstreamFailed) return;
      clientGone = true;
      upstreamRequest.destroy();
    };
    // After the answer has started, an upstream failure can only cut the client off; the audit
    // still names it.
    const failUpstream = (): void => {
      if (clientGone) return;
      if (!res.headersSent) {
        refuse(res, exchange, 'upstream_error');
        return;
      }
      upstreamFailed = true;
      exchange.refused = 'upstream_error';
      res.destroy();
    };
    res.once('close', dropUpstream);
    res.on('error', dropUpstream);
    upstreamRequest.on('error', failUpstream);
    upstreamRequest.on('response', (upstreamResponse) => {
      if (clientGone) {
        upstreamResponse.destroy();
        return;
      }
      exchange.streamed = isEventStream(upstreamResponse.headers['content-type']);
      res.writeHead(upstreamResponse.statusCode ?? 502, endToEndHeaders(upstreamResponse.headers));
      // A stream's headers go out at once (a model may think for seconds before its first token);
      // any other answer's go with its body, one write and one wake-up for the client instead of two.
      if (exchange.streamed) res.flushHeaders();
      upstreamResponse.on('data', (chunk: Buffer) => {
        exchange.bytesOut += chunk.length;
      });
      upstreamResponse.on('error', failUpstream);
      // pipe() writes each chunk as it arrives (no compression, no coalescing) and applies
      // backpressure from the client to the upstream.
      upstreamResponse.pipe(res);
    });
    upstreamRequest.end(body ?? undefined);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, exchange: Exchange): Promise<void> => {
    if (!carriesLaneToken(req.headers.authorization)) return refuse(res, exchange, 'bad_token');
    const route = allowedRoute(req.method, req.url);
    if (route === null) return refuse(res, exchange, 'path_not_allowed');
    if (route === 'GET /v1/models') return forward(req, res, exchange, route, null);

    const read = await readRequestBody(req, maxBodyBytes);
    if (!read.ok) {
      exchange.bytesIn = read.bytesRead;
      return refuse(res, exchange, 'body_too_large');
    }
    exchange.bytesIn = read.body.length;
    const verdict = checkCompletionBody(read.body, opts.admittedModel);
    exchange.model = verdict.model;
    if (!verdict.ok) return refuse(res, exchange, verdict.reason);
    return forward(req, res, exchange, route, verdict.forwardBody);
  };

  const record = (res: ServerResponse, exchange: Exchange): void => {
    const entry: AuditRecord = {
      time: exchange.time,
      method: exchange.method,
      path: exchange.path,
      model: exchange.model === null ? null : exchange.model.slice(0, MAX_AUDITED_TEXT),
      // 0: the client went away before any answer was sent.
      status: res.headersSent ? res.statusCode : 0,
      bytes_in: exchange.bytesIn,
      bytes_out: exchange.bytesOut,
      latency_ms: Math.round(performance.now() - exchange.started),
      streamed: exchange.streamed,
      refused: exchange.refused,
    };
    audit.append(entry);
  };

  const server = createServer((req, res) => {
    const exchange: Exchange = {
      started: performance.now(),
      time: new Date().toISOString(),
      method: (req.method ?? '').slice(0, 16),
      path: requestPath(req.url).slice(0, MAX_AUDITED_TEXT),
      model: null,
      bytesIn: 0,
      bytesOut: 0,
      streamed: false,
      refused: null,
    };
    const done = new Promise<void>((resolve) => {
      res.once('close', () => {
        record(res, exchange);
        resolve();
      });
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
    handle(req, res, exchange).catch(() => res.destroy());
  });

  const listener = await listenOnLoopback(server, 0, opts.socketPath).catch(async (error: unknown) => {
    await audit.close().catch(() => undefined);
    throw error;
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${listener.port}/v1`,
    port: listener.port,
    close() {
      closing ??= (async () => {
        await listener.close();
        // The server can report closed before each response has seen its socket close; until
        // then an upstream cut would be misread as the upstream's failure.
        await Promise.all(inFlight);
        agent.destroy();
        await audit.close();
      })();
      return closing;
    },
  };
}
