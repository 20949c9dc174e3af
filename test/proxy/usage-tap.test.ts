import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAudit } from '../../src/evidence/proxy-audit.js';
import { startRecordingProxy } from '../../src/proxy/recording-proxy.js';
import { createUsageTap, STREAM_TAIL_BYTES } from '../../src/proxy/usage-tap.js';
import { makeTempDir } from '../support/fake-server.js';
import { llamaCppFixtureName, loadServerFixture, startReplayServer, type FixtureExchange } from '../support/replay-server.js';

// Token counts and timings as the recording proxy reads them from real servers' answers, replayed
// byte for byte over 127.0.0.1 (test/fixtures/servers/), through the proxy as a lane uses it.
const MODEL = 'qwen3.6-35b-a3b';
const TOKEN = 'lane-token-usage';
const closers: Array<() => Promise<void>> = [];
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await temp.remove();
});

const caseBody = (stream: boolean) => ({
  model: MODEL,
  messages: [{ role: 'system', content: '# Implementer — fix the bug' }],
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  max_completion_tokens: 8,
});

async function throughProxy(upstream: string, bodies: readonly unknown[], readUsage?: boolean) {
  const auditFile = join(temp.dir, `audit-${closers.length}-${bodies.length}.jsonl`);
  const proxy = await startRecordingProxy({ upstream: `${upstream}/v1`, admittedModel: MODEL, laneToken: TOKEN, auditFile, ...(readUsage === undefined ? {} : { readUsage }) });
  const answers: string[] = [];
  try {
    for (const body of bodies) {
      const response = await fetch(`${proxy.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      answers.push(await response.text());
    }
  } finally {
    await proxy.close();
  }
  return { answers, audit: await readAudit(auditFile) };
}

async function replay(fixture: string, scenario: string, only?: (e: FixtureExchange) => boolean) {
  const exchanges = loadServerFixture(fixture).scenarios[scenario]!.exchanges.filter((e) => e.request.method === 'POST' && (only?.(e) ?? true));
  const server = await startReplayServer(exchanges);
  closers.push(() => server.close());
  return server;
}

describe('usage read from each server as it answers Case', () => {
  it('llama.cpp, streamed: prompt and completion tokens from the include_usage chunk, and the time to the first byte', async () => {
    const server = await replay(llamaCppFixtureName(), 'single', (e) => e.request.stream === true);
    const { answers, audit } = await throughProxy(server.url, [caseBody(true), caseBody(true)]);
    // The stream reaches the client unchanged, usage chunk included.
    expect(answers[0]).toContain('"usage":{"completion_tokens":1,"prompt_tokens":173');
    expect(audit.map((r) => [r.prompt_tokens, r.completion_tokens])).toEqual([
      [173, 1],
      [173, 4],
    ]);
    for (const r of audit) {
      expect(r.ttft_ms).toBeGreaterThanOrEqual(0);
      expect(r.ttft_ms).toBeLessThanOrEqual(r.latency_ms + 1);
    }
    // The second recording's timings say 4 tokens were decoded at llama.cpp's own measured speed.
    const recorded = JSON.parse(/"timings":(\{[^}]*\})/.exec(loadServerFixture(llamaCppFixtureName()).scenarios['single']!.exchanges.filter((e) => e.request.stream === true && e.request.method === 'POST')[1]!.response.raw!)![1]!) as { predicted_per_second: number };
    expect(audit[1]).toMatchObject({ tokens_per_second: Math.round(recorded.predicted_per_second * 10) / 10, tokens_per_second_source: 'server' });
  });

  it("llama.cpp, not streamed: usage from the JSON answer, tokens per second from the server's timings", async () => {
    const server = await replay(llamaCppFixtureName(), 'single', (e) => e.request.stream === false);
    const { audit } = await throughProxy(server.url, [caseBody(false)]);
    expect(audit[0]).toMatchObject({ streamed: false, prompt_tokens: 173, completion_tokens: 8, tokens_per_second: 12.2, tokens_per_second_source: 'server' });
    expect(audit[0]!.ttft_ms).not.toBeNull();
  });

  for (const [fixture, prompt, completion] of [
    ['vllm.json', 7412, 9],
    ['ollama.json', 7398, 11],
    ['lmstudio.json', 7436, 10],
  ] as const) {
    it(`${fixture.replace('.json', '')}, streamed: tokens from the include_usage chunk`, async () => {
      const server = await replay(fixture, 'streamed_usage');
      const { answers, audit } = await throughProxy(server.url, [caseBody(true)]);
      expect(answers[0]).toMatch(/data: \[DONE\]\n\n$/);
      expect(audit[0]).toMatchObject({ status: 200, streamed: true, prompt_tokens: prompt, completion_tokens: completion });
      expect(audit[0]!.ttft_ms).toBeGreaterThanOrEqual(0);
    });
  }

  it('a stream without a usage chunk records null tokens and no speed, not 0', async () => {
    const server = await replay('vllm.json', 'streamed_no_usage');
    const { audit } = await throughProxy(server.url, [caseBody(true)]);
    expect(audit[0]).toMatchObject({ status: 200, prompt_tokens: null, completion_tokens: null, tokens_per_second: null, tokens_per_second_source: null });
    expect(audit[0]!.ttft_ms).not.toBeNull();
  });

  it('an error answer has no tokens; a refused request has no first byte from the server', async () => {
    const server = await replay('vllm.json', 'served');
    const { audit } = await throughProxy(server.url, [caseBody(true), { ...caseBody(true), model: 'claude-sonnet-4-6' }]);
    expect(audit[0]).toMatchObject({ status: 400, prompt_tokens: null, completion_tokens: null, upstream_error: { kind: 'context_exceeded' } });
    expect(audit[1]).toMatchObject({ refused: 'model_not_admitted', ttft_ms: null, prompt_tokens: null });
  });
});

// A stream longer than the tail the tap keeps, paced so that its tokens take measurable time:
// the usage chunk at its end is still read, and the speed is the proxy's own measurement.
function startPacedServer(contentBytes: number): Promise<Server> {
  const event = (payload: object) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: MODEL, ...payload })}\n\n`;
  const piece = event({ choices: [{ index: 0, delta: { content: 'x'.repeat(1000) }, finish_reason: null }] });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(event({ choices: [{ index: 0, delta: { role: 'assistant' }, finish_reason: null }] }));
      await new Promise((resolve) => setTimeout(resolve, 60));
      res.write(piece.repeat(Math.ceil(contentBytes / piece.length)));
      await new Promise((resolve) => setTimeout(resolve, 60));
      res.end(`${event({ choices: [], usage: { prompt_tokens: 5000, completion_tokens: 300, total_tokens: 5300 } })}data: [DONE]\n\n`);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('the usage tap on a long stream', () => {
  it('reads the usage chunk after more than its tail of content, and measures the speed from first to last byte', async () => {
    const server = await startPacedServer(STREAM_TAIL_BYTES * 4);
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const address = server.address() as { port: number };
    const { answers, audit } = await throughProxy(`http://127.0.0.1:${address.port}`, [caseBody(true)]);
    expect(answers[0]!.length).toBeGreaterThan(STREAM_TAIL_BYTES * 4);
    expect(audit[0]).toMatchObject({ prompt_tokens: 5000, completion_tokens: 300, tokens_per_second_source: 'proxy' });
    // 300 tokens over the two 60 ms pauses between first and last byte; the bound leaves 20 ms for
    // a first chunk that reaches a loaded proxy late (118.5 ms was seen under a full npm test).
    expect(audit[0]!.tokens_per_second).toBeGreaterThan(0);
    expect(audit[0]!.tokens_per_second).toBeLessThanOrEqual(300 / 0.1);
  });

  it('is off with readUsage: false (the bench arm): the same stream passes, no tokens are read', async () => {
    const server = await startPacedServer(1000);
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const address = server.address() as { port: number };
    const { answers, audit } = await throughProxy(`http://127.0.0.1:${address.port}`, [caseBody(true)], false);
    expect(answers[0]).toContain('"usage"');
    expect(audit[0]).toMatchObject({ status: 200, prompt_tokens: null, completion_tokens: null });
  });
});

describe('the usage tap, cut anywhere', () => {
  it('reads the last usage chunk of a stream however its bytes are split into chunks', () => {
    const event = (payload: object) => `data: ${JSON.stringify({ object: 'chat.completion.chunk', ...payload })}\r\n\r\n`;
    const content = event({ choices: [{ index: 0, delta: { content: 'é'.repeat(300) } }] });
    // An earlier usage chunk inside the tail (vLLM's continuous usage stats): the last one holds.
    const usage = (prompt: number, completion: number) => event({ choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion } });
    const stream = Buffer.from(`${content.repeat(700)}${usage(1, 2)}${content.repeat(30)}${usage(11, 22)}data: [DONE]\r\n\r\n`);
    expect(stream.length).toBeGreaterThan(STREAM_TAIL_BYTES * 3);
    let seed = 7;
    const random = (max: number) => (seed = (seed * 48271) % 2147483647) % max;
    for (const maxChunk of [1, 97, 4096, STREAM_TAIL_BYTES - 1, STREAM_TAIL_BYTES + 1, stream.length]) {
      const tap = createUsageTap(true);
      for (let at = 0; at < stream.length; ) {
        const size = maxChunk === 1 ? 1 : 1 + random(maxChunk);
        tap.push(stream.subarray(at, at + size));
        at += size;
      }
      expect(tap.read(), `chunks of up to ${maxChunk} bytes`).toEqual({ prompt_tokens: 11, completion_tokens: 22, server_tokens_per_second: null });
    }
  });
});
