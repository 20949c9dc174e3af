import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { agentTurnOf } from '../evidence/agent-turn.js';
import { describeKey, type TranscriptExchange } from '../evidence/transcript.js';
import { SCRIPTED_OWNER } from '../local-server/server-kind.js';
import { listenOnLoopback } from '../proxy/loopback-server.js';
import { readRequestBody } from '../proxy/request-body.js';
import { compareRequests, LIVE_WORKSPACE } from './equivalence.js';
import type { Recording } from './recording.js';
import type { ReplayDivergence } from './replay-facts.js';

export type { ReplayDivergence } from './replay-facts.js';

export type ReplayTiming = 'none' | 'recorded';

export interface ReplayProviderOptions {
  readonly recording: Recording;
  readonly port?: number;
  // `recorded`: each streamed event goes out when it came in the recording, after the request.
  readonly timing?: ReplayTiming;
  // The run's redactor, when the replay runs inside a route: live paths get the labels the
  // recording's got.
  readonly redact?: (text: string) => string;
  readonly onDivergence?: (divergence: ReplayDivergence) => void;
}


export interface ReplayProvider {
  readonly url: string;
  readonly port: number;
  divergences(): readonly ReplayDivergence[];
  // The recorded exchanges no request has been answered with yet, in the recording's order.
  unserved(): readonly TranscriptExchange[];
  received(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

// The recording's answers name the recorded lane's paths by label; the live lane gets its own.
function liveWorkspace(rawBody: string): string | undefined {
  return new RegExp(LIVE_WORKSPACE.source).exec(rawBody)?.[0];
}

function toLive(text: string, workspace: string | undefined, laneRoot: string | undefined): string {
  if (workspace === undefined) return text;
  const withLane = laneRoot === undefined ? text : text.replace(/<workspace>\/lanes\/[a-z]+(?![\w-])/g, laneRoot);
  return withLane.replaceAll('<workspace>', workspace);
}

// Serves a recorded run's transcript as an OpenAI-compatible server. Each request is matched to
// the next recorded request of the same Case agent and turn and answered with what was recorded
// for it only when it is equivalent (src/replay/equivalence.ts); any other request is refused
// with a 400 (not retried by OpenAI clients) whose body says where it diverged.
export async function startReplayProvider(opts: ReplayProviderOptions): Promise<ReplayProvider> {
  const queues = new Map<string, TranscriptExchange[]>();
  for (const exchange of opts.recording.exchanges) {
    const key = describeKey(exchange);
    queues.set(key, [...(queues.get(key) ?? []), exchange]);
  }
  const served = new Set<TranscriptExchange>();
  const divergences: ReplayDivergence[] = [];
  let received = 0;
  const model = opts.recording.model;

  const refuse = (res: ServerResponse, divergence: ReplayDivergence): void => {
    divergences.push(divergence);
    opts.onDivergence?.(divergence);
    const where = `request ${divergence.request} (${describeKey(divergence)})`;
    sendJson(res, 400, {
      error: {
        message: `replay diverged from run ${opts.recording.runId} at ${where}: ${divergence.path}: ${divergence.detail}`,
        type: 'replay_diverged',
        code: 'replay_diverged',
        param: divergence.path,
      },
      replay: { run_id: opts.recording.runId, ...divergence },
    });
  };

  const answer = async (res: ServerResponse, exchange: TranscriptExchange, rawBody: string): Promise<void> => {
    const workspace = liveWorkspace(rawBody);
    const laneRoot = workspace === undefined ? undefined : new RegExp(`${workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/lanes/[a-z]+`).exec(rawBody)?.[0];
    const live = (text: string) => toLive(text, workspace, laneRoot);
    const { response } = exchange;
    // 0: the recorded client went away, or the server never answered, before any status.
    const status = response.status >= 100 ? response.status : 502;
    if (response.events === null) {
      const text = live(response.body ?? '');
      res.writeHead(status, { 'content-type': response.content_type ?? 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    res.writeHead(status, { 'content-type': response.content_type ?? 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    const started = performance.now();
    for (const event of response.events) {
      if (opts.timing === 'recorded') {
        const wait = event.t_ms - (performance.now() - started);
        if (wait > 0) await delay(wait);
      }
      if (res.destroyed) return;
      res.write(`data: ${live(event.data)}\n\n`);
    }
    res.end();
  };

  const handleCompletion = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const read = await readRequestBody(req, MAX_BODY_BYTES);
    const number = (received += 1);
    if (!read.ok) {
      res.setHeader('connection', 'close');
      sendJson(res, 413, { error: { message: 'request body too large', type: 'invalid_request_error' } });
      return;
    }
    const rawBody = read.body.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      sendJson(res, 400, { error: { message: 'request body is not valid JSON', type: 'invalid_request_error' } });
      return;
    }
    const key = agentTurnOf(body);
    const queue = queues.get(describeKey(key)) ?? [];
    const next = queue.find((exchange) => !served.has(exchange));
    if (next === undefined) {
      const detail = queue.length === 0 ? 'the recording has no request for this agent and turn' : `the recording's ${queue.length} request(s) for this agent and turn were all answered already`;
      refuse(res, { request: number, ...key, path: '(request)', detail });
      return;
    }
    const divergence = compareRequests(next.request.body, body, opts.redact);
    if (divergence) {
      refuse(res, { request: number, ...key, ...divergence });
      return;
    }
    served.add(next);
    await answer(res, next, rawBody);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0] ?? '';
    const route = `${req.method ?? ''} ${path}`;
    if (route === 'GET /health') sendJson(res, 200, { status: 'ok' });
    // Listed as the scripted provider's, so the preflight knows its answers are not a model's.
    else if (route === 'GET /v1/models') sendJson(res, 200, { object: 'list', data: [{ id: model, object: 'model', owned_by: SCRIPTED_OWNER }] });
    else if (route === 'POST /v1/chat/completions') handleCompletion(req, res).catch(() => res.destroy());
    else sendJson(res, 404, { error: { message: `no route for ${route}`, type: 'invalid_request_error' } });
  });
  const listener = await listenOnLoopback(server, opts.port ?? 0);
  return {
    url: `http://127.0.0.1:${listener.port}`,
    port: listener.port,
    divergences: () => [...divergences],
    unserved: () => opts.recording.exchanges.filter((exchange) => !served.has(exchange)),
    received: () => received,
    close: listener.close,
  };
}
