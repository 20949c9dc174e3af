import { readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingProxy, type RecordingProxy, type RecordingProxyOptions } from '../../src/proxy/recording-proxy.js';
import { readAudit } from '../../src/evidence/proxy-audit.js';
import { startScriptedProvider } from '../../src/scripted-provider/scripted-provider.js';
import { deadPort, makeTempDir, parseSse, sendJson, startFakeServer, type FakeServer } from '../support/fake-server.js';

const ADMITTED = 'qwen3.6-35b-a3b';
const LANE_TOKEN = 'lane-token-7f3c9a';
const UPSTREAM_KEY = 'upstream-key-51d0e2';
const PROMPT = 'a prompt that must never reach the audit';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let upstream: FakeServer;
let proxy: RecordingProxy | undefined;
let auditFile: string;
// Released by a test to let the streaming upstream finish.
let releaseStream: () => void;

beforeEach(async () => {
  temp = await makeTempDir();
  auditFile = join(temp.dir, 'run', 'audit.jsonl');
  const streamGate = new Promise<void>((resolve) => {
    releaseStream = resolve;
  });
  upstream = await startFakeServer({
    'GET /v1/models': (_req, res) => sendJson(res, 200, { object: 'list', data: [{ id: ADMITTED, object: 'model' }] }),
    'POST /v1/chat/completions': (_req, res, body) => {
      const request = JSON.parse(body) as { stream?: boolean };
      if (!request.stream) {
        sendJson(res, 200, { object: 'chat.completion', choices: [{ message: { role: 'assistant', content: 'hi' } }] });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"first":true}\n\n');
      void streamGate.then(() => res.end('data: [DONE]\n\n'));
    },
  });
});

afterEach(async () => {
  releaseStream();
  await proxy?.close();
  proxy = undefined;
  await upstream.close();
  await temp.remove();
});

async function startProxy(overrides: Partial<RecordingProxyOptions> = {}): Promise<RecordingProxy> {
  proxy = await startRecordingProxy({
    upstream: `${upstream.url}/v1`,
    admittedModel: ADMITTED,
    laneToken: LANE_TOKEN,
    upstreamApiKey: UPSTREAM_KEY,
    auditFile,
    ...overrides,
  });
  return proxy;
}

function post(url: string, body: unknown, token: string | null = LANE_TOKEN, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...extra },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const chatBody = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: ADMITTED,
  messages: [{ role: 'user', content: PROMPT }],
  ...fields,
});

describe('recording proxy', () => {
  it('forwards an admitted request with the upstream key, not the lane token or client headers', async () => {
    const { url } = await startProxy();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await post(url, chatBody(), LANE_TOKEN, { cookie: 'session=abc', 'x-api-key': 'other-key', 'openai-organization': 'org-1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });

    expect(upstream.seen).toHaveLength(1);
    const seen = upstream.seen[0];
    expect(seen?.url).toBe('/v1/chat/completions');
    expect(seen?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(JSON.stringify(seen?.headers)).not.toContain(LANE_TOKEN);
    expect(seen?.headers.cookie).toBeUndefined();
    expect(seen?.headers['x-api-key']).toBeUndefined();
    expect(seen?.headers['openai-organization']).toBeUndefined();
    expect(seen?.headers.host).toBe(`127.0.0.1:${upstream.port}`);
    expect(JSON.parse(seen?.body ?? '')).toEqual(chatBody());

    await proxy?.close();
    const audit = await readAudit(auditFile);
    expect(audit).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v1/chat/completions', model: ADMITTED, status: 200, streamed: false, refused: null }),
    ]);
    expect(audit[0]?.bytes_in).toBe(JSON.stringify(chatBody()).length);
    expect(audit[0]?.bytes_out).toBeGreaterThan(0);
    expect(audit[0]?.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('removes Authorization when no upstream key is set, and does not double /v1', async () => {
    const { url } = await startProxy({ upstream: upstream.url, upstreamApiKey: undefined });
    const models = await fetch(`${url}/models`, { headers: { authorization: `Bearer ${LANE_TOKEN}` } });
    expect(models.status).toBe(200);
    expect(upstream.seen[0]?.url).toBe('/v1/models');
    expect(upstream.seen[0]?.headers.authorization).toBeUndefined();
    await proxy?.close();
    expect(await readAudit(auditFile)).toEqual([expect.objectContaining({ method: 'GET', path: '/v1/models', model: null, status: 200 })]);
  });

  it.each([
    ['no token', () => post(proxy?.url ?? '', chatBody(), null), 401, 'bad_token', null],
    ['a wrong token', () => post(proxy?.url ?? '', chatBody(), 'guess'), 401, 'bad_token', null],
    ['GET on the completions path', () => fetch(`${proxy?.url ?? ''}/chat/completions`, { headers: { authorization: `Bearer ${LANE_TOKEN}` } }), 404, 'path_not_allowed', null],
    ['another endpoint', () => fetch(`${proxy?.url ?? ''}/embeddings`, { method: 'POST', headers: { authorization: `Bearer ${LANE_TOKEN}` }, body: '{}' }), 404, 'path_not_allowed', null],
    ['bad JSON', () => post(proxy?.url ?? '', '{"model":'), 400, 'bad_json', null],
    ['a JSON array', () => post(proxy?.url ?? '', '[]'), 400, 'bad_json', null],
    ['no model', () => post(proxy?.url ?? '', { messages: [] }), 403, 'model_missing', null],
    ['an external model', () => post(proxy?.url ?? '', chatBody({ model: 'claude-sonnet-4-6' })), 403, 'model_not_admitted', 'claude-sonnet-4-6'],
    ['a different case', () => post(proxy?.url ?? '', chatBody({ model: ADMITTED.toUpperCase() })), 403, 'model_not_admitted', ADMITTED.toUpperCase()],
    ['a fallbacks field', () => post(proxy?.url ?? '', chatBody({ fallbacks: ['claude-sonnet-4-6'] })), 403, 'fallbacks_field', ADMITTED],
    ['an empty fallbacks field', () => post(proxy?.url ?? '', chatBody({ fallbacks: [] })), 403, 'fallbacks_field', ADMITTED],
    ['an OpenRouter models list', () => post(proxy?.url ?? '', chatBody({ models: [ADMITTED, 'anthropic/claude-sonnet-4-6'] })), 403, 'fallbacks_field', ADMITTED],
    ['an OpenRouter route', () => post(proxy?.url ?? '', chatBody({ route: 'fallback' })), 403, 'fallbacks_field', ADMITTED],
    ['an OpenRouter provider preference', () => post(proxy?.url ?? '', chatBody({ provider: { order: ['anthropic'] } })), 403, 'fallbacks_field', ADMITTED],
    ['routing inside extra_body', () => post(proxy?.url ?? '', chatBody({ extra_body: { models: ['claude-sonnet-4-6'] } })), 403, 'fallbacks_field', ADMITTED],
    ['a fallback nested in an allowed field', () => post(proxy?.url ?? '', chatBody({ chat_template_kwargs: { enable_thinking: false, options: [{ Fallback_Models: ['x'] }] } })), 403, 'fallbacks_field', ADMITTED],
    ['a routing key inside a message', () => post(proxy?.url ?? '', chatBody({ messages: [{ role: 'user', content: 'hi', provider: 'anthropic' }] })), 403, 'fallbacks_field', ADMITTED],
    ['a web search request', () => post(proxy?.url ?? '', chatBody({ web_search_options: {} })), 403, 'field_not_allowed', ADMITTED],
    ['a service tier', () => post(proxy?.url ?? '', chatBody({ service_tier: 'priority' })), 403, 'field_not_allowed', ADMITTED],
    ['an unknown field', () => post(proxy?.url ?? '', chatBody({ metadata: { a: 'b' } })), 403, 'field_not_allowed', ADMITTED],
    ['a body over the limit', () => post(proxy?.url ?? '', chatBody({ messages: [{ role: 'user', content: 'x'.repeat(4096) }] })), 413, 'body_too_large', null],
  ] as const)('refuses %s and records it', async (_name, send, status, reason, model) => {
    await startProxy({ maxBodyBytes: 2048 });
    const response = await send();
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe(reason);
    expect(body.error.message).toContain(reason);
    expect(upstream.seen).toEqual([]);
    await proxy?.close();
    expect(await readAudit(auditFile)).toEqual([expect.objectContaining({ status, refused: reason, model, streamed: false })]);
  });

  it('refuses a chunked body once it crosses the limit, without a Content-Length to go by', async () => {
    const { port } = await startProxy({ maxBodyBytes: 1024 });
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${LANE_TOKEN}`, 'transfer-encoding': 'chunked' } },
        (response) => {
          response.resume();
          resolve(response.statusCode);
        },
      );
      request.on('error', reject);
      request.write('x'.repeat(800));
      request.write('x'.repeat(800));
    });
    expect(status).toBe(413);
    expect(upstream.seen).toEqual([]);
    await proxy?.close();
    const [record] = await readAudit(auditFile);
    expect(record).toMatchObject({ status: 413, refused: 'body_too_large' });
    expect(record?.bytes_in).toBeGreaterThan(1024);
  });

  it('carries a scripted provider stream end to end, intact', async () => {
    const provider = await startScriptedProvider({ model: ADMITTED, script: { roles: { closer: [{ content: 'closed it' }] } } });
    try {
      const { url } = await startProxy({ upstream: provider.url });
      const response = await post(url, { model: ADMITTED, messages: [{ role: 'system', content: '# Closer — x' }], stream: true, stream_options: { include_usage: true } });
      const events = parseSse(await response.text());
      expect(events.at(-1)).toBe('[DONE]');
      const text = events
        .slice(0, -1)
        .map((data) => (JSON.parse(data) as { choices: { delta: { content?: string | null } }[] }).choices[0]?.delta.content ?? '')
        .join('');
      expect(text).toBe('closed it');
      await proxy?.close();
      expect(await readAudit(auditFile)).toEqual([expect.objectContaining({ status: 200, streamed: true, model: ADMITTED, refused: null })]);
    } finally {
      await provider.close();
    }
  });

  it('forwards exactly the body it checked when the model key is duplicated', async () => {
    const { url } = await startProxy();
    const raw = `{"model":"claude-sonnet-4-6","messages":[],"model":"${ADMITTED}"}`;
    expect((await post(url, raw)).status).toBe(200);
    expect(upstream.seen[0]?.body).toBe(JSON.stringify({ model: ADMITTED, messages: [] }));
  });

  it("answers 502 when the upstream is down, and records it as the server's failure, not a refusal", async () => {
    const { url } = await startProxy({ upstream: `http://127.0.0.1:${await deadPort()}` });
    const response = await post(url, chatBody());
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
    await proxy?.close();
    expect(await readAudit(auditFile)).toEqual([
      expect.objectContaining({
        status: 502,
        refused: null,
        model: ADMITTED,
        upstream_attempts: 1,
        upstream_error: { kind: 'connection', code: 'ECONNREFUSED', prompt_tokens: null, context_tokens: null },
      }),
    ]);
  });

  it('refuses to start with an upstream that is not loopback or carries credentials', async () => {
    await expect(startRecordingProxy({ upstream: 'https://api.openai.com/v1', admittedModel: ADMITTED, laneToken: LANE_TOKEN, auditFile })).rejects.toThrow(/loopback/);
    await expect(startRecordingProxy({ upstream: 'http://u:p@127.0.0.1:1', admittedModel: ADMITTED, laneToken: LANE_TOKEN, auditFile })).rejects.toThrow(/credentials/);
    await expect(startRecordingProxy({ upstream: upstream.url, admittedModel: ADMITTED, laneToken: '', auditFile })).rejects.toThrow(/token/);
  });

  it('passes an SSE stream through chunk by chunk, before the upstream has finished', async () => {
    const { url, port } = await startProxy();
    const target = new URL(url);
    const chunks: string[] = [];
    const finished = new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: `${target.pathname}/chat/completions`, headers: { authorization: `Bearer ${LANE_TOKEN}`, 'content-type': 'application/json' } },
        (response) => {
          expect(response.headers['content-type']).toBe('text/event-stream');
          expect(response.headers['content-encoding']).toBeUndefined();
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            chunks.push(chunk);
            // The upstream is still holding its response open: only now is it let go.
            if (chunks.length === 1) releaseStream();
          });
          response.on('end', () => resolve(response.statusCode));
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify(chatBody({ stream: true })));
    });
    expect(await finished).toBe(200);
    expect(chunks[0]).toBe('data: {"first":true}\n\n');
    expect(chunks.join('')).toBe('data: {"first":true}\n\ndata: [DONE]\n\n');
    expect(upstream.seen[0]?.headers['accept-encoding']).toBe('identity');
    await proxy?.close();
    expect(await readAudit(auditFile)).toEqual([expect.objectContaining({ status: 200, streamed: true, refused: null, bytes_out: chunks.join('').length })]);
  });

  it('closes promptly with a stream still open, and the audit line is complete on disk', async () => {
    const { url } = await startProxy();
    const response = await post(url, chatBody({ stream: true }));
    const reader = response.body?.getReader();
    expect(new TextDecoder().decode((await reader?.read())?.value)).toContain('first');
    const started = performance.now();
    await proxy?.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(reader?.read()).rejects.toThrow();
    const text = await readFile(auditFile, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(await readAudit(auditFile)).toEqual([expect.objectContaining({ status: 200, streamed: true })]);
  });

  it('records a stream the upstream cut short as cut, and one the client dropped as neither', async () => {
    let upstreamClosed!: () => void;
    const upstreamSawClose = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    const flaky = await startFakeServer({
      'POST /v1/chat/completions': (req, res, body) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"partial":true}\n\n');
        if (body.includes('cut me')) setTimeout(() => req.socket.destroy(), 20);
        else res.on('close', upstreamClosed);
      },
    });
    try {
      const { url } = await startProxy({ upstream: flaky.url });
      const cut = await post(url, chatBody({ stream: true, messages: [{ role: 'user', content: 'cut me' }] }));
      await expect(cut.text()).rejects.toThrow();

      const dropped = new AbortController();
      const response = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${LANE_TOKEN}` },
        body: JSON.stringify(chatBody({ stream: true })),
        signal: dropped.signal,
      });
      await response.body?.getReader().read();
      dropped.abort();
      await upstreamSawClose;

      await proxy?.close();
      expect((await readAudit(auditFile)).map(({ status, streamed, refused, upstream_error }) => ({ status, streamed, refused, kind: upstream_error?.kind ?? null }))).toEqual([
        { status: 200, streamed: true, refused: null, kind: 'cut' },
        { status: 200, streamed: true, refused: null, kind: null },
      ]);
    } finally {
      await flaky.close();
    }
  });

  it('forwards everything pi-ai sends on its openai-completions path', async () => {
    const { url } = await startProxy();
    const piBody = chatBody({
      messages: [
        { role: 'system', content: '# Implementer — fix the bug' },
        { role: 'user', content: PROMPT },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } }] },
        { role: 'tool', content: 'src\ntest', tool_call_id: 'call_1' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 16384,
      temperature: 0.2,
      tools: [{ type: 'function', function: { name: 'bash', description: 'run', parameters: { type: 'object', properties: { command: { type: 'string' }, timeout: { type: 'number' } }, required: ['command'] }, strict: false } }],
      tool_choice: 'auto',
      chat_template_kwargs: { enable_thinking: false },
    });
    releaseStream();
    const response = await post(url, piBody);
    expect(response.status).toBe(200);
    await response.text();
    expect(JSON.parse(upstream.seen[0]?.body ?? '')).toEqual(piBody);
  });

  it('retries, on a new connection, a request whose kept-alive connection the upstream had closed', async () => {
    // A server that closes a connection between requests while announcing keep-alive, as
    // llama-server does after a stream: the second request on a kept socket finds it gone.
    let served = 0;
    const closing = await startFakeServer({
      'POST /v1/chat/completions': (req, res) => {
        served += 1;
        const socket = req.socket as typeof req.socket & { answered?: boolean };
        if (socket.answered) {
          socket.destroy();
          return;
        }
        socket.answered = true;
        res.writeHead(200, { 'content-type': 'text/event-stream', 'keep-alive': 'timeout=5, max=100' });
        res.end('data: [DONE]\n\n');
      },
    });
    try {
      const { url } = await startProxy({ upstream: closing.url });
      for (let i = 0; i < 3; i++) {
        const response = await post(url, chatBody({ stream: true }));
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('data: [DONE]\n\n');
      }
      await proxy?.close();
      const audit = await readAudit(auditFile);
      expect(audit.map((r) => [r.status, r.refused, r.upstream_error, r.upstream_attempts])).toEqual([
        [200, null, null, 1],
        [200, null, null, 2],
        [200, null, null, 2],
      ]);
      expect(served).toBe(5);
    } finally {
      await closing.close();
    }
  });

  it('passes an error answer on unchanged and records what kind of error it was', async () => {
    const llamaContext = { error: { code: 400, message: 'request (7436 tokens) exceeds the available context size (4096 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 7436, n_ctx: 4096 } };
    const erring = await startFakeServer({
      'POST /v1/chat/completions': (_req, res, body) => {
        if (body.includes('too long')) sendJson(res, 400, llamaContext);
        else sendJson(res, 503, { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } });
      },
    });
    try {
      const { url } = await startProxy({ upstream: erring.url });
      const long = await post(url, chatBody({ messages: [{ role: 'user', content: 'too long' }] }));
      expect(long.status).toBe(400);
      expect(await long.json()).toEqual(llamaContext);
      expect((await post(url, chatBody())).status).toBe(503);
      await proxy?.close();
      expect((await readAudit(auditFile)).map((r) => [r.status, r.refused, r.upstream_error])).toEqual([
        [400, null, { kind: 'context_exceeded', code: 'exceed_context_size_error', prompt_tokens: 7436, context_tokens: 4096 }],
        [503, null, { kind: 'status', code: 'unavailable_error', prompt_tokens: null, context_tokens: null }],
      ]);
    } finally {
      await erring.close();
    }
  });

  it('keeps bodies, headers and credentials out of the audit file', async () => {
    const { url } = await startProxy();
    await post(url, chatBody());
    await post(url, chatBody(), 'wrong-token-value');
    await fetch(`${url}/models?api_key=query-secret`, { headers: { authorization: `Bearer ${LANE_TOKEN}` } });
    await proxy?.close();
    const text = await readFile(auditFile, 'utf8');
    for (const secret of [LANE_TOKEN, UPSTREAM_KEY, PROMPT, 'wrong-token-value', 'query-secret', 'messages', 'authorization']) {
      expect(text).not.toContain(secret);
    }
    expect((await readAudit(auditFile)).map((record) => record.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions', '/v1/models']);
  });

  it('audits every one of many concurrent requests, in whole lines, by the time it has closed', async () => {
    const { url } = await startProxy();
    const answers = await Promise.all(
      Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? post(url, chatBody({ model: 'claude-sonnet-4-6' })) : post(url, chatBody()))),
    );
    await Promise.all(answers.map((answer) => answer.arrayBuffer()));
    await proxy?.close();
    const audit = await readAudit(auditFile);
    expect(audit).toHaveLength(120);
    expect(audit.filter((record) => record.refused === 'model_not_admitted')).toHaveLength(40);
    expect(audit.filter((record) => record.status === 200 && record.refused === null)).toHaveLength(80);
  });

  it('rejects an audit file with a malformed or truncated line rather than skipping it', async () => {
    const { url } = await startProxy();
    await post(url, chatBody());
    await proxy?.close();
    const good = await readFile(auditFile, 'utf8');
    await writeFile(auditFile, `${good}{"time":`);
    await expect(readAudit(auditFile)).rejects.toThrow(/incomplete/);
    await writeFile(auditFile, `${good}{"time":"x"}\n`);
    await expect(readAudit(auditFile)).rejects.toThrow(/audit\.jsonl:2/);
  });
});
