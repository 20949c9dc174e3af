#!/usr/bin/env node
// Records what a real llama.cpp `llama-server` answers, byte for byte, into
// test/fixtures/servers/llama-cpp-<commit>.json, so that `npm test` replays exactly those
// answers (test/support/replay-server.ts): status lines, headers, bodies, SSE streams, and
// whether the server closed the connection after each answer.
//
// The server is the one `npm run test:servers` builds (test/servers/build-llama-server.mjs),
// serving the tiny random model under the admitted alias. Paths of this machine in an answer
// (llama-server reports its model's path) are replaced before anything is written.
// Usage: node test/servers/record-llama-cpp.mjs
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot } from './build-llama-server.mjs';
import { prepareLlamaServer, startLlamaServer } from './llama-server.mjs';
import { parseRaw, rawExchange } from './raw-http.mjs';

const MODEL = 'qwen3.6-35b-a3b';
const SECOND_ALIAS = 'qwen-local-coder';
const SERVER_KEY = 'recorded-server-key';
const FIXTURES = fileURLToPath(new URL('../fixtures/servers/', import.meta.url));

// What pi-ai's openai-completions provider sends (see src/proxy/proxy-rules.ts), kept short.
const chat = (model, { stream = true, content = 'Fix the bug in src/sum.js.' } = {}) => ({
  model,
  messages: [
    { role: 'system', content: '# Implementer — fix the bug the task describes.' },
    { role: 'user', content },
  ],
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  max_completion_tokens: 8,
  tools: [{ type: 'function', function: { name: 'bash', description: 'Run a shell command', parameters: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] } } }],
});

// A prompt of about 7,400 tokens, the size of real Case's first request.
const LONG = 'Context line from the repository under test. '.repeat(820);

const PROBES = ['/health', '/v1/models', '/props', '/api/ps', '/api/v0/models', '/version'].map((path) => ({ method: 'GET', path }));

// Filled in once the scratch directory exists: the router's models directory is under it.
const REPLACED = [
  [cacheRoot(), '/var/cache/case-local-route'],
  [homedir(), '~'],
];

const replaceAll = (text) => REPLACED.reduce((out, [from, to]) => out.split(from).join(to), text);

// A chunked body is rewritten chunk by chunk, each with its new size, so its framing stays what
// the server sent.
function rechunk(body) {
  const parts = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    const data = Buffer.from(replaceAll(body.subarray(lineEnd + 2, lineEnd + 2 + size).toString('utf8')), 'utf8');
    parts.push(Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), data, Buffer.from('\r\n', 'latin1'));
    at = lineEnd + 2 + size + 2;
    if (size === 0) break;
  }
  parts.push(body.subarray(at));
  return Buffer.concat(parts);
}

// Replaces paths of this machine in an answer's body, keeping Content-Length or the chunk sizes true.
function scrub(raw) {
  const text = raw.toString('latin1');
  if (!REPLACED.some(([from]) => text.includes(from))) return raw;
  const end = raw.indexOf('\r\n\r\n');
  let head = text.slice(0, end);
  const body = raw.subarray(end + 4);
  let clean;
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    clean = rechunk(body);
  } else {
    clean = Buffer.from(replaceAll(body.toString('utf8')), 'utf8');
    head = head.replace(/\r\ncontent-length:\s*\d+/i, (line) => line.replace(/\d+$/, String(clean.length)));
  }
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), clean]);
}

function stored(raw) {
  const text = raw.toString('utf8');
  return Buffer.from(text, 'utf8').equals(raw) ? { raw: text } : { raw_base64: raw.toString('base64') };
}

async function record(server, requests) {
  const exchanges = [];
  for (const request of requests) {
    const { raw, closesConnection } = await rawExchange(server.port, request);
    const clean = scrub(raw);
    const { statusLine } = parseRaw(clean);
    exchanges.push({
      request: { method: request.method, path: request.path, ...(request.headers?.authorization ? { authorization: 'Bearer <key>' } : {}), ...(request.body ? { body_model: request.body.model, stream: request.body.stream } : {}) },
      response: { status_line: statusLine, closes_connection: closesConnection, ...stored(clean) },
    });
    process.stderr.write(`[record] ${request.method} ${request.path} -> ${statusLine}${closesConnection ? ' (closed)' : ''}\n`);
  }
  return exchanges;
}

const prepared = prepareLlamaServer();
const work = mkdtempSync(join(tmpdir(), 'case-route-record-'));
const modelsDir = join(work, 'models');
mkdirSync(modelsDir);
REPLACED.unshift([work, '/srv/case-route-record']);
symlinkSync(prepared.model, join(modelsDir, `${MODEL}.gguf`));

const printable = (args) => args.map((arg) => (arg === prepared.model ? '<model.gguf>' : arg === modelsDir ? '<models-dir>' : arg === SERVER_KEY ? '<key>' : arg));

const scenarios = [
  {
    name: 'single',
    note: 'one model, served under the admitted alias; a stream, a plain answer and a second stream, each on a fresh connection',
    args: ['-m', prepared.model, '--alias', MODEL, '-c', '32768', '--jinja'],
    requests: [...PROBES, { method: 'POST', path: '/v1/chat/completions', body: chat(MODEL) }, { method: 'POST', path: '/v1/chat/completions', body: chat(MODEL, { stream: false }) }, { method: 'POST', path: '/v1/chat/completions', body: chat(MODEL) }],
  },
  {
    name: 'aliases',
    note: `two names given with --alias; a request for the second one`,
    args: ['-m', prepared.model, '--alias', `${MODEL},${SECOND_ALIAS}`, '-c', '32768', '--jinja'],
    requests: [{ method: 'GET', path: '/v1/models' }, { method: 'GET', path: '/props' }, { method: 'POST', path: '/v1/chat/completions', body: chat(SECOND_ALIAS) }],
  },
  {
    name: 'api_key',
    note: 'started with --api-key; probes without the key, then with it',
    args: ['-m', prepared.model, '--alias', MODEL, '-c', '32768', '--jinja', '--api-key', SERVER_KEY],
    requests: [
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/v1/models' },
      { method: 'GET', path: '/props' },
      { method: 'GET', path: '/v1/models', headers: { authorization: `Bearer ${SERVER_KEY}` } },
      { method: 'POST', path: '/v1/chat/completions', body: chat(MODEL) },
    ],
  },
  {
    name: 'small_context',
    note: 'a context of 4096 tokens and one slot; a request of about 7,400 tokens, the size of real Case\'s first',
    args: ['-m', prepared.model, '--alias', MODEL, '-c', '4096', '--parallel', '1', '--jinja'],
    requests: [{ method: 'GET', path: '/props' }, { method: 'GET', path: '/v1/models' }, { method: 'POST', path: '/v1/chat/completions', body: chat(MODEL, { content: LONG }) }],
  },
  {
    name: 'router',
    note: 'router mode (--models-dir, models loaded on demand): probes before the model is loaded, a request that loads it, probes after',
    args: ['--models-dir', modelsDir, '-c', '32768', '--jinja'],
    requests: [
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/v1/models' },
      { method: 'GET', path: '/props' },
      { method: 'GET', path: `/props?model=${MODEL}&autoload=false` },
      { method: 'POST', path: '/v1/chat/completions', body: chat(MODEL) },
      { method: 'GET', path: '/v1/models' },
      { method: 'GET', path: `/props?model=${MODEL}&autoload=false` },
      { method: 'POST', path: '/v1/chat/completions', body: chat('not-a-served-model') },
    ],
  },
];

const fixture = {
  server: 'llama.cpp llama-server',
  source: `recorded from a CPU build of llama-server (llama.cpp ${prepared.tag}, commit ${prepared.commit}, the llama/gitRelease.bundle of the npm package node-llama-cpp ${prepared.nodeLlamaCpp}), serving a tiny random-weight model with the Qwen2 tokenizer (test/servers/make-tiny-model.py), by test/servers/record-llama-cpp.mjs`,
  llama_cpp_commit: prepared.commit,
  llama_cpp_tag: prepared.tag,
  node_llama_cpp: prepared.nodeLlamaCpp,
  admitted_model: MODEL,
  scenarios: {},
};
try {
  for (const scenario of scenarios) {
    const server = await startLlamaServer(prepared.binary, scenario.args, { logFile: join(work, `${scenario.name}.log`) });
    try {
      fixture.scenarios[scenario.name] = { note: scenario.note, server_args: printable(scenario.args), exchanges: await record(server, scenario.requests) };
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const text = `${JSON.stringify(fixture, null, 2)}\n`;
for (const [from] of REPLACED) if (text.includes(from)) throw new Error('a path of this machine is still in the recording');
if (/\/tmp\/|\/root\/|\/work\//.test(text)) throw new Error('a path of this machine is still in the recording');
mkdirSync(FIXTURES, { recursive: true });
const file = join(FIXTURES, `llama-cpp-${prepared.commit.slice(0, 12)}.json`);
writeFileSync(file, text);
process.stderr.write(`[record] wrote test/fixtures/servers/llama-cpp-${prepared.commit.slice(0, 12)}.json\n`);
