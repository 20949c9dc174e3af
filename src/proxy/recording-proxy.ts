import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isLoopbackHost, parseBaseUrl } from '../local-server/base-url.js';
import type { AuditRecord } from '../evidence/proxy-audit.js';
import { openJsonlAppender } from './jsonl-appender.js';
import { listenOnLoopback } from './loopback-server.js';
import { endToEndHeaders, upstreamRequestHeaders } from './proxy-headers.js';
import { allowedRoute, checkCompletionBody, laneTokenCheck, REFUSAL_STATUS, requestPath, type ProxyRoute, type RefusalReason } from './proxy-rules.js';
import { readRequestBody } from './request-body.js';
import { createUsageTap, NO_USAGE, type UsageReading, type UsageTap } from './usage-tap.js';
import { openTranscriptRecorder, type ExchangeTap, type TranscriptRecorderOptions } from './transcript-recorder.js';
import { connectionFailure, MAX_ERROR_BODY_BYTES, statusFailure, type UpstreamFailure } from './upstream-failure.js';

export type { RefusalReason } from './proxy-rules.js';
export type { UpstreamFailure } from './upstream-failure.js';

export interface RecordingProxyOptions {
  upstream: string;
  admittedModel: string;
  laneToken: string;
  upstreamApiKey?: string;
  auditFile: string;
  maxBodyBytes?: number;
  // Also listen here: the way in from a sandboxed lane.
  socketPath?: string;
  // How connections to the upstream are used: `reuse` keeps them alive between requests and
  // retries, once, a request whose reused connection the upstream had already closed; `fresh`
  // opens one per request. bench/RESULTS.md compares the two against a server that closes
  // connections while announcing keep-alive (llama.cpp's llama-server after a stream).
  upstreamConnections?: 'reuse' | 'fresh';
  // Told of each request as it is recorded, so a lane can be watched as it runs.
  onRecord?: (entry: AuditRecord) => void;
  // Read the token counts out of each answer (src/proxy/usage-tap.ts); on unless false, which
  // only `npm run bench` sets, to measure the proxy with and without it side by side.
  readUsage?: boolean;
  // Keep each forwarded exchange, request and answer, in this transcript (src/proxy/transcript-recorder.ts).
  transcript?: TranscriptRecorderOptions;
}

export interface RecordingProxy {
  url: string;
  port: number;
  close(): Promise<void>;
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
  attempts: number;
  upstreamError: UpstreamFailure | null;
  // performance.now() of the answer's first and last body byte from the upstream.
  firstByte: number | null;
  lastByte: number | null;
  usageTap: UsageTap | null;
  tap: ExchangeTap | undefined;
}

// An error on a connection the agent had kept alive, before any byte of the answer: the upstream
// closed it between requests (llama-server does so after a stream while still announcing
// keep-alive), so the request never reached it and can go again on a new connection.
function closedWhileIdle(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}

const tenths = (ms: number): number => Math.round(ms * 10) / 10;

// Time to the first byte of the answer, and the speed at which its tokens came: the server's own
// figure when it states one (llama.cpp), else the completion tokens over the time from the
// stream's first byte to its last. A JSON answer arrives all at once, so only a server's figure
// says its speed.
function answerTiming(exchange: Exchange, usage: UsageReading): Pick<AuditRecord, 'ttft_ms' | 'tokens_per_second' | 'tokens_per_second_source'> {
  const ttft_ms = exchange.firstByte === null ? null : tenths(exchange.firstByte - exchange.started);
  const { completion_tokens, server_tokens_per_second } = usage;
  if (server_tokens_per_second !== null) return { ttft_ms, tokens_per_second: tenths(server_tokens_per_second), tokens_per_second_source: 'server' };
  const streamedMs = exchange.streamed && exchange.firstByte !== null && exchange.lastByte !== null ? exchange.lastByte - exchange.firstByte : 0;
  if (completion_tokens === null || completion_tokens === 0 || streamedMs <= 0) return { ttft_ms, tokens_per_second: null, tokens_per_second_source: null };
  return { ttft_ms, tokens_per_second: tenths(completion_tokens / (streamedMs / 1000)), tokens_per_second_source: 'proxy' };
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
  const keepAlive = (opts.upstreamConnections ?? 'reuse') === 'reuse';
  const readUsage = opts.readUsage ?? true;
  const agent = secure ? new HttpsAgent({ keepAlive }) : new HttpAgent({ keepAlive });
  const audit = await openJsonlAppender(opts.auditFile);
  const transcript = opts.transcript === undefined ? undefined : await openTranscriptRecorder(opts.transcript);
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

  const answerUnreachable = (res: ServerResponse, exchange: Exchange): void => {
    const body = JSON.stringify({
      error: { message: `the local server did not answer: ${exchange.upstreamError?.code ?? 'error'}`, type: 'case_local_route_upstream_error', code: 'upstream_unreachable', param: null },
    });
    exchange.bytesOut += Buffer.byteLength(body);
    res.writeHead(502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, exchange: Exchange, route: ProxyRoute, body: Uint8Array | null): void => {
    let clientGone = false;
    let upstreamFailed = false;
    let current: ReturnType<typeof httpRequest> | undefined;
    const dropUpstream = (): void => {
      if (res.writableFinished || upstreamFailed) return;
      clientGone = true;
      current?.destroy();
    };
    res.once('close', dropUpstream);
    res.on('error', dropUpstream);
    // After the answer has started, an upstream failure can only cut the client off; the audit
    // still names it.
    const failUpstream = (error: unknown): void => {
      if (clientGone || upstreamFailed) return;
      upstreamFailed = true;
      if (!res.headersSent) {
        exchange.upstreamError = connectionFailure('connection', error);
        answerUnreachable(res, exchange);
        return;
      }
      exchange.upstreamError = connectionFailure('cut', error);
      res.destroy();
    };
    const attempt = (): void => {
      exchange.attempts += 1;
      let answered = false;
      const upstreamRequest = (secure ? httpsRequest : httpRequest)({
        hostname: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: `${upstream.prefix}${route.slice(route.indexOf(' ') + 1)}`,
        headers: upstreamRequestHeaders(req.headers, opts.upstreamApiKey, body === null ? null : body.length),
        agent,
      });
      current = upstreamRequest;
      upstreamRequest.on('error', (error) => {
        if (!answered && !clientGone && upstreamRequest.reusedSocket && exchange.attempts === 1 && closedWhileIdle(error)) {
          attempt();
          return;
        }
        failUpstream(error);
      });
      upstreamRequest.on('response', (upstreamResponse) => {
        answered = true;
        if (clientGone) {
          upstreamResponse.destroy();
          return;
        }
        const status = upstreamResponse.statusCode ?? 502;
        exchange.streamed = isEventStream(upstreamResponse.headers['content-type']);
        exchange.tap?.response(status, upstreamResponse.headers['content-type']);
        res.writeHead(status, endToEndHeaders(upstreamResponse.headers));
        // A stream's headers go out at once (a model may think for seconds before its first token);
        // any other answer's go with its body, one write and one wake-up for the client instead of two.
        if (exchange.streamed) res.flushHeaders();
        // An error answer is passed on unchanged; its first bytes are kept to say what kind of
        // error it was.
        const errorHead: Buffer[] = [];
        let errorHeadBytes = 0;
        const tap = readUsage && status < 300 && route === 'POST /v1/chat/completions' ? createUsageTap(exchange.streamed) : null;
        upstreamResponse.on('data', (chunk: Buffer) => {
          const now = performance.now();
          exchange.firstByte ??= now;
          exchange.lastByte = now;
          tap?.push(chunk);
          exchange.bytesOut += chunk.length;
          exchange.tap?.chunk(chunk);
          if (status >= 400 && errorHeadBytes < MAX_ERROR_BODY_BYTES) {
            errorHead.push(chunk.subarray(0, MAX_ERROR_BODY_BYTES - errorHeadBytes));
            errorHeadBytes += chunk.length;
          }
        });
        if (status >= 400) {
          upstreamResponse.once('end', () => {
            exchange.upstreamError ??= statusFailure(status, Buffer.concat(errorHead));
          });
        }
        // Read when the exchange is recorded, after the last byte has gone to the client; only an
        // answer that ended whole is read.
        if (tap !== null) upstreamResponse.once('end', () => (exchange.usageTap = tap));
        upstreamResponse.on('error', failUpstream);
        // pipe() writes each chunk as it arrives (no compression, no coalescing) and applies
        // backpressure from the client to the upstream.
        upstreamResponse.pipe(res);
      });
      upstreamRequest.end(body ?? undefined);
    };
    attempt();
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
    exchange.tap = transcript?.begin(verdict.forwardBody);
    return forward(req, res, exchange, route, verdict.forwardBody);
  };

  const record = (res: ServerResponse, exchange: Exchange): void => {
    const usage = exchange.usageTap?.read() ?? NO_USAGE;
    const { ttft_ms, tokens_per_second, tokens_per_second_source } = answerTiming(exchange, usage);
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
      upstream_attempts: exchange.attempts,
      upstream_error: exchange.upstreamError,
      ttft_ms,
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      tokens_per_second,
      tokens_per_second_source,
    };
    audit.append(entry);
    exchange.tap?.end();
    opts.onRecord?.(entry);
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
      attempts: 0,
      upstreamError: null,
      firstByte: null,
      lastByte: null,
      usageTap: null,
      tap: undefined,
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
    await transcript?.close().catch(() => undefined);
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
        await Promise.all([audit.close(), transcript?.close()]);
      })();
      return closing;
    },
  };
}
