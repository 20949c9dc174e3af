import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import { buildReply, completionBody, completionChunks } from './completion-format.js';
import { listenOnLoopback } from '../proxy/loopback-server.js';
import { agentTurnOf } from '../evidence/agent-turn.js';
import { scriptedTurn, type ModelScript } from './model-script.js';
import { readRequestBody } from '../proxy/request-body.js';
import { SCRIPTED_OWNER } from '../local-server/server-kind.js';

export interface ScriptedProviderOptions {
  model: string;
  script: ModelScript;
  port?: number;
}

export interface ScriptedProvider {
  url: string;
  port: number;
  servedModel(): string;
  serveModel(id: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

const ContentSchema = z.union([
  z.string(),
  z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  z.null(),
]);

const ChatRequestSchema = z.looseObject({
  model: z.string(),
  messages: z.array(z.looseObject({ role: z.string(), content: ContentSchema.optional() })).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
});

type ChatRequest = z.infer<typeof ChatRequestSchema>;

function contentText(content: z.infer<typeof ContentSchema> | undefined): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join('');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: { message, type: 'invalid_request_error' } });
}

function answerCompletion(res: ServerResponse, request: ChatRequest, script: ModelScript, model: string): void {
  const { agent, turn } = agentTurnOf(request);
  const promptText = request.messages.map((message) => contentText(message.content)).join('\n');
  const reply = buildReply(scriptedTurn(script, agent ?? undefined, turn), model, promptText);
  if (request.stream !== true) {
    sendJson(res, 200, completionBody(reply));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  // One chunk per turn of the event loop, as a model's tokens come one after another: the
  // recording proxy then measures a stream with a first and a last byte apart, as from a model.
  const chunks = completionChunks(reply, request.stream_options?.include_usage === true);
  const next = (): void => {
    if (res.destroyed) return;
    const chunk = chunks.shift();
    if (chunk === undefined) {
      res.end('data: [DONE]\n\n');
      return;
    }
    res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    setImmediate(next);
  };
  next();
}

async function handleCompletion(req: IncomingMessage, res: ServerResponse, script: ModelScript, served: string): Promise<void> {
  const read = await readRequestBody(req, MAX_BODY_BYTES);
  if (!read.ok) {
    res.setHeader('connection', 'close');
    sendError(res, 413, 'request body too large');
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(read.body.toString('utf8'));
  } catch {
    sendError(res, 400, 'request body is not valid JSON');
    return;
  }
  const parsed = ChatRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    sendError(res, 400, `invalid request at '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}`);
    return;
  }
  if (parsed.data.model !== served) {
    sendError(res, 404, `model '${parsed.data.model}' not found`);
    return;
  }
  answerCompletion(res, parsed.data, script, served);
}

export async function startScriptedProvider(opts: ScriptedProviderOptions): Promise<ScriptedProvider> {
  let served = opts.model;
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0] ?? '';
    const route = `${req.method ?? ''} ${path}`;
    if (route === 'GET /health') {
      sendJson(res, 200, { status: 'ok' });
    } else if (route === 'GET /v1/models') {
      sendJson(res, 200, { object: 'list', data: [{ id: served, object: 'model', owned_by: SCRIPTED_OWNER }] });
    } else if (route === 'POST /v1/chat/completions') {
      // The served id is read once per request so a mid-run switch cannot split one reply.
      handleCompletion(req, res, opts.script, served).catch(() => res.destroy());
    } else {
      sendError(res, 404, `no route for ${req.method ?? ''} ${path}`);
    }
  });
  const listener = await listenOnLoopback(server, opts.port ?? 0);
  return {
    url: `http://127.0.0.1:${listener.port}`,
    port: listener.port,
    servedModel: () => served,
    serveModel: (id) => {
      served = id;
    },
    close: listener.close,
  };
}
