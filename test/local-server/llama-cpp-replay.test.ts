import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextWindowFitsCase, modelIsServed, providerIsReachable } from '../../src/gates/preflight-gates.js';
import { observeProvider } from '../../src/local-server/preflight.js';
import { startRecordingProxy } from '../../src/proxy/recording-proxy.js';
import { readAudit } from '../../src/evidence/proxy-audit.js';
import { parseReport, runCli, withSandbox } from '../support/cli.js';
import { llamaCppFixtureName, loadServerFixture, startReplayServer, type FixtureExchange, type ReplayServer } from '../support/replay-server.js';
import { makeTempDir } from '../support/fake-server.js';

// What a real llama.cpp llama-server answered (recorded by test/servers/record-llama-cpp.mjs),
// replayed byte for byte, connection closes included.
const fixture = loadServerFixture(llamaCppFixtureName());
const MODEL = fixture.admitted_model;
const TOKEN = 'lane-token-llama-replay';
const scenario = (name: string): readonly FixtureExchange[] => fixture.scenarios[name]!.exchanges;
const servers: ReplayServer[] = [];
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await temp.remove();
});

async function replay(exchanges: readonly FixtureExchange[]): Promise<ReplayServer> {
  const server = await startReplayServer(exchanges);
  servers.push(server);
  return server;
}

const streamBody = (model = MODEL) => ({ model, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, max_completion_tokens: 8 });

async function throughProxy(server: ReplayServer, bodies: readonly unknown[]) {
  const auditFile = join(temp.dir, 'audit.jsonl');
  const proxy = await startRecordingProxy({ upstream: `${server.url}/v1`, admittedModel: MODEL, laneToken: TOKEN, auditFile });
  const answers: { status: number; text: string }[] = [];
  try {
    for (const body of bodies) {
      const response = await fetch(`${proxy.url}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      answers.push({ status: response.status, text: await response.text() });
    }
  } finally {
    await proxy.close();
  }
  return { answers, audit: await readAudit(auditFile) };
}

describe(`llama.cpp llama-server, as recorded (${fixture.llama_cpp_commit?.slice(0, 12)})`, () => {
  it('is recognised from /props, with its build and the window of a slot', async () => {
    const observation = await observeProvider((await replay(scenario('single'))).url, MODEL);
    expect(observation).toMatchObject({
      reachable: true,
      server_kind: 'llama.cpp',
      server_version: 'b1-de3ff81',
      models_listed: [MODEL],
      model_aliases: {},
      server_check: { ok: true },
      context_window: { tokens: 32768, source: 'llama.cpp /props n_ctx (per slot)' },
    });
    expect(JSON.stringify(observation)).not.toContain('/var/cache');
  });

  // The streamed answers only: the plain one kept its connection open.
  const streams = () => scenario('single').filter((e) => e.request.method !== 'POST' || e.request.stream === true);

  it('closes the connection after every stream while announcing keep-alive; the proxy loses no request to it', async () => {
    const recorded = streams().find((e) => e.request.method === 'POST')!.response;
    expect(recorded.raw).toMatch(/\r\nKeep-Alive: timeout=5, max=100\r\n/);
    expect(recorded.raw).not.toMatch(/\r\nConnection: close\r\n/i);
    expect(recorded.closes_connection).toBe(true);
    const server = await replay(streams());
    const { answers, audit } = await throughProxy(server, Array.from({ length: 12 }, () => streamBody()));
    expect(server.closedByServer()).toBe(12);
    expect(answers.every((a) => a.status === 200 && a.text.endsWith('data: [DONE]\n\n'))).toBe(true);
    expect(audit.map((r) => [r.status, r.refused, r.upstream_error])).toEqual(Array.from({ length: 12 }, () => [200, null, null]));
  });

  it('when the next request goes out before the close is seen, it is sent again on a new connection, not failed', async () => {
    const server = await startReplayServer(streams(), { lateCloseMs: 200 });
    servers.push(server);
    const { answers, audit } = await throughProxy(server, Array.from({ length: 6 }, () => streamBody()));
    expect(server.resets()).toBe(5);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(audit.map((r) => [r.status, r.refused, r.upstream_error, r.upstream_attempts])).toEqual([
      [200, null, null, 1],
      ...Array.from({ length: 5 }, () => [200, null, null, 2]),
    ]);
  });

  it('lists every name given with --alias, and serves the admitted one under any of them', async () => {
    const server = await replay(scenario('aliases'));
    const observation = await observeProvider(server.url, MODEL);
    // llama-server sorts the names: the card's id is the first, the others are its aliases.
    expect(observation.models_listed).toEqual(['qwen-local-coder']);
    expect(observation.model_aliases).toEqual({ 'qwen-local-coder': [MODEL] });
    expect(modelIsServed(observation, MODEL)).toEqual({ ok: true });
    expect(modelIsServed(await observeProvider(server.url, 'other'), 'other')).toEqual({
      ok: false,
      reason: 'model_not_served',
      detail: `/v1/models lists qwen-local-coder (aliases: ${MODEL}), not "other"`,
    });
  });

  it('says a server started with --api-key wants a key, and names the variable', async () => {
    const observation = await observeProvider((await replay(scenario('api_key'))).url, MODEL);
    expect(providerIsReachable(observation)).toEqual({
      ok: false,
      reason: 'provider_unreachable',
      detail: 'the local provider wants an API key (GET /v1/models answered 401); set CTO_HARNESS_CASE_LOCAL_API_KEY',
    });
    expect(observation.health_status).toBe(200);
  });

  it('blocks a window smaller than Case needs, and records a prompt over it as context exceeded', async () => {
    const server = await replay(scenario('small_context'));
    expect(contextWindowFitsCase(await observeProvider(server.url, MODEL))).toEqual({
      ok: false,
      reason: 'context_window_too_small',
      detail: 'llama.cpp gives the model a context window of 4096 tokens (llama.cpp /props n_ctx (per slot)); Case needs at least 16384: its first prompt alone is about 7,400 tokens',
    });
    const { answers, audit } = await throughProxy(server, [streamBody()]);
    expect(answers[0]?.status).toBe(400);
    expect(audit[0]).toMatchObject({ status: 400, refused: null, upstream_error: { kind: 'context_exceeded', code: 'exceed_context_size_error', prompt_tokens: 6725, context_tokens: 4096 } });
  });

  it('in router mode, passes a listed model that is not loaded yet, and reads its window once loaded', async () => {
    const router = scenario('router');
    const before = await observeProvider((await replay(router)).url, MODEL);
    expect(before).toMatchObject({
      server_kind: 'llama.cpp',
      server_check: { ok: true, detail: `router mode: '${MODEL}' is unloaded` },
      context_window: { tokens: null, source: `llama.cpp router: '${MODEL}' is unloaded; its window is known once loaded` },
    });
    expect(modelIsServed(before, MODEL)).toEqual({ ok: true });
    // The recording after the first request loaded the model.
    const after = await observeProvider((await replay([router[2]!, ...router.slice(5)])).url, MODEL);
    expect(after.server_check).toEqual({ ok: true, detail: `router mode: '${MODEL}' is loaded` });
    expect(after.context_window).toEqual({ tokens: 32768, source: 'llama.cpp router: the model instance /props n_ctx (per slot)' });
    expect(modelIsServed(await observeProvider((await replay(router)).url, 'other'), 'other')).toMatchObject({ ok: false, reason: 'model_not_served' });
  });
});

describe('whole runs against the replayed llama-server', () => {
  it('an honest run whose server closes after every stream is never called a fallback, and names the server', async () => {
    const server = await replay(scenario('single'));
    await withSandbox(`${server.url}/v1`, async (sandbox) => {
      const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
      const report = parseReport(result.stdout);
      // The recorded answers are the tiny random model's gibberish: Case's pipeline cannot complete.
      expect(report.status).toBe('fail');
      expect(report.fail_reasons.map((f) => f.reason)).toEqual(['pipeline_not_completed', 'acceptance_failed']);
      expect(report.no_fallback.verdict).toBe(true);
      const lane = report.lanes[0]!;
      expect(lane.upstream).toEqual({ source: 'admitted_server', base_url: `${server.url}/v1`, server_kind: 'llama.cpp', server_version: 'b1-de3ff81' });
      expect(lane.responses_by_status).toEqual({ '200': lane.requests_total });
      expect(lane.provider_errors).toEqual([]);
      const models = JSON.parse(await readFile(join(sandbox.out, report.run_id, 'lanes', 'fake', 'adapter', 'models.json'), 'utf8'));
      expect(models.providers.openai.models[0]).toMatchObject({ contextWindow: 32768, maxTokens: 8192 });
    });
  });

  it('a server that refuses prompts longer than its window fails the run with provider_context_exceeded, named first', async () => {
    // A router whose model is not loaded states no window, so the run starts; the model then
    // refuses every prompt as llama-server with a 4096-token window did.
    const refusal = scenario('small_context').find((e) => e.request.method === 'POST')!;
    const server = await replay([...scenario('router').filter((e) => e.request.method === 'GET').slice(0, 4), refusal]);
    await withSandbox(`${server.url}/v1`, async (sandbox) => {
      const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
      const report = parseReport(result.stdout);
      expect(report.status).toBe('fail');
      const [first, ...rest] = report.fail_reasons;
      expect(first).toEqual({ reason: 'provider_context_exceeded', detail: expect.stringMatching(/^fake lane: \d+ request\(s\): the local server answered 400: the request \(6725 tokens\) exceeds its context window \(4096 tokens\)$/) });
      expect(rest.map((f) => f.reason)).not.toContain('fallback_detected');
      expect(report.no_fallback.verdict).toBe(true);
      expect(report.lanes[0]?.responses_by_status).toEqual({ '400': report.lanes[0]?.requests_total });
      const html = await readFile(join(sandbox.out, report.run_id, 'report.html'), 'utf8');
      expect(html).toContain('provider_context_exceeded');
      expect(html).toContain('exceeds its context window (4096 tokens)');
    });
  });
});
