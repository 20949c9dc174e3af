// A child process serving the upstream a benchmark talks to, on 127.0.0.1.
//   scripted: the repo's scripted provider with the sum-bug fixture's model script;
//   sse:      a fast SSE server for long streams (`bench_bytes`, `bench_gap_ms` in a JSON last message):
//             one event at once, then after the gap `bench_bytes` of chat-completion chunk events
//             from a prebuilt buffer, honouring backpressure, so it never holds a stream in memory.
//   closing:  a short SSE answer, after which the connection is closed although the answer
//             announced keep-alive, as llama.cpp's llama-server does after a stream
//             (test/fixtures/servers/llama-cpp-*.json, scenario "single").
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { DIST, MODEL, ROOT, serveUsage } from './lib.mjs';

const mode = process.argv[2];

async function scripted() {
  const { startScriptedProvider } = await import(new URL('src/scripted-provider/scripted-provider.js', DIST));
  const { ModelScriptSchema } = await import(new URL('src/scripted-provider/model-script.js', DIST));
  const script = ModelScriptSchema.parse(JSON.parse(readFileSync(`${ROOT}examples/fixtures/sum-bug/model-script.json`, 'utf8')));
  return startScriptedProvider({ model: MODEL, script });
}

const EVENT = `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 0, model: MODEL, choices: [{ index: 0, delta: { content: 'token ' }, finish_reason: null }] })}\n\n`;
const BATCH = Buffer.from(EVENT.repeat(Math.ceil(65536 / EVENT.length)));

async function sse() {
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: MODEL, object: 'model' }] }));
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      const { messages = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const last = messages.at(-1)?.content ?? '';
      const body = last.startsWith('{"bench_bytes"') ? JSON.parse(last) : {};
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(EVENT);
      if (body.bench_gap_ms) await new Promise((resolve) => setTimeout(resolve, body.bench_gap_ms));
      let left = body.bench_bytes ?? 0;
      while (left > 0 && !res.destroyed) {
        const piece = left >= BATCH.length ? BATCH : BATCH.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) {
          await new Promise((resolve) => {
            const done = () => {
              res.off('drain', done).off('close', done);
              resolve();
            };
            res.on('drain', done).on('close', done);
          });
        }
      }
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const SHORT_ANSWER = `${EVENT.repeat(8)}data: [DONE]\n\n`;

async function closing() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'keep-alive': 'timeout=5, max=100' });
      res.end(SHORT_ANSWER, () => req.socket.end());
    });
  });
  await new Promise((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const upstream = mode === 'sse' ? await sse() : mode === 'closing' ? await closing() : await scripted();
serveUsage(() => upstream.close());
process.send({ ready: true, url: upstream.url });
