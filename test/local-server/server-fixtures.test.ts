import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextWindowFitsCase, modelIsServed, providerIsReachable } from '../../src/gates/preflight-gates.js';
import { observeProvider } from '../../src/local-server/preflight.js';
import { startRecordingProxy } from '../../src/proxy/recording-proxy.js';
import { readAudit } from '../../src/evidence/proxy-audit.js';
import { loadServerFixture, startReplayServer, type ReplayServer } from '../support/replay-server.js';
import { makeTempDir } from '../support/fake-server.js';

// vLLM, Ollama and LM Studio cannot run here: each fixture says where its shapes come from.
const MODEL = 'qwen3.6-35b-a3b';
const TOKEN = 'lane-token-fixtures';
const servers: ReplayServer[] = [];
let temp: Awaited<ReturnType<typeof makeTempDir>>;

beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await temp.remove();
});

async function replay(fixture: string, scenario: string): Promise<ReplayServer> {
  const server = await startReplayServer(loadServerFixture(fixture).scenarios[scenario]!.exchanges);
  servers.push(server);
  return server;
}

async function askThroughProxy(server: ReplayServer): Promise<Awaited<ReturnType<typeof readAudit>>> {
  const auditFile = join(temp.dir, 'audit.jsonl');
  const proxy = await startRecordingProxy({ upstream: `${server.url}/v1`, admittedModel: MODEL, laneToken: TOKEN, auditFile });
  const response = await fetch(`${proxy.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true }),
  });
  await response.arrayBuffer();
  await proxy.close();
  return readAudit(auditFile);
}

describe('vLLM, from its source', () => {
  it('is recognised, and its max_model_len is the window Case is told', async () => {
    const server = await replay('vllm.json', 'served');
    const observation = await observeProvider(server.url, MODEL);
    expect(observation).toMatchObject({
      server_kind: 'vllm',
      server_version: '0.11.0',
      server_check: { ok: true, detail: `vLLM 0.11.0 serves '${MODEL}' from 'Qwen3.6-35B-A3B'` },
      context_window: { tokens: 32768, source: 'vLLM /v1/models max_model_len' },
    });
    expect(contextWindowFitsCase(observation)).toEqual({ ok: true });
  });

  it('blocks a window smaller than Case needs, naming it', async () => {
    const server = await replay('vllm.json', 'small_window');
    const gate = contextWindowFitsCase(await observeProvider(server.url, MODEL));
    expect(gate).toEqual({
      ok: false,
      reason: 'context_window_too_small',
      detail: 'vllm gives the model a context window of 8192 tokens (vLLM /v1/models max_model_len); Case needs at least 16384: its first prompt alone is about 7,400 tokens',
    });
  });

  it('says a server started with --api-key wants a key', async () => {
    const server = await replay('vllm.json', 'api_key');
    const gate = providerIsReachable(await observeProvider(server.url, MODEL));
    expect(gate).toMatchObject({ ok: false, reason: 'provider_unreachable' });
    expect(gate.ok ? '' : gate.detail).toBe('the local provider wants an API key (GET /v1/models answered 401); set CTO_HARNESS_CASE_LOCAL_API_KEY');
  });

  it('a prompt over the window is recorded as context exceeded, with the counts vLLM names', async () => {
    const audit = await askThroughProxy(await replay('vllm.json', 'served'));
    expect(audit.map((r) => [r.status, r.refused, r.upstream_error])).toEqual([
      [400, null, { kind: 'context_exceeded', code: 'BadRequestError', prompt_tokens: 16385, context_tokens: 32768 }],
    ]);
  });
});

describe('Ollama, from its source', () => {
  it("reads the loaded model's window from /api/ps, and the version from /api/version", async () => {
    const observation = await observeProvider((await replay('ollama.json', 'loaded')).url, MODEL);
    expect(observation).toMatchObject({
      server_kind: 'ollama',
      server_version: '0.13.0',
      server_check: { ok: true, detail: `'${MODEL}' is loaded` },
      context_window: { tokens: 32768, source: 'Ollama /api/ps context_length' },
    });
  });

  it("blocks a model loaded with Ollama's default 4096-token window", async () => {
    const gate = contextWindowFitsCase(await observeProvider((await replay('ollama.json', 'default_window')).url, MODEL));
    expect(gate).toMatchObject({ ok: false, reason: 'context_window_too_small' });
  });

  it('lets a model that is not loaded through, its window not yet known', async () => {
    const observation = await observeProvider((await replay('ollama.json', 'not_loaded')).url, MODEL);
    expect(observation.context_window).toEqual({ tokens: null, source: 'Ollama states it only once the model is loaded' });
    expect(modelIsServed(observation, MODEL)).toEqual({ ok: true });
    expect(contextWindowFitsCase(observation)).toEqual({ ok: true });
  });

  it("recognises Ollama's context error", async () => {
    const audit = await askThroughProxy(await replay('ollama.json', 'default_window'));
    expect(audit[0]?.upstream_error).toEqual({ kind: 'context_exceeded', code: 'invalid_request_error', prompt_tokens: null, context_tokens: null });
  });
});

describe('LM Studio, from its docs', () => {
  it('reads the loaded window and passes a loaded model', async () => {
    const observation = await observeProvider((await replay('lmstudio.json', 'loaded')).url, MODEL);
    expect(observation).toMatchObject({
      server_kind: 'lmstudio',
      server_check: { ok: true, detail: `'${MODEL}' is loaded` },
      context_window: { tokens: 32768, source: 'LM Studio /api/v0/models loaded_context_length' },
    });
  });

  it("blocks LM Studio's default 4096-token window, and lets a model it loads on demand through, its window unknown", async () => {
    expect(contextWindowFitsCase(await observeProvider((await replay('lmstudio.json', 'default_window')).url, MODEL))).toMatchObject({ reason: 'context_window_too_small' });
    const notLoaded = await observeProvider((await replay('lmstudio.json', 'not_loaded')).url, MODEL);
    expect(modelIsServed(notLoaded, MODEL)).toEqual({ ok: true });
    expect(notLoaded.context_window).toEqual({ tokens: null, source: 'LM Studio states it only once the model is loaded' });
    expect(modelIsServed(notLoaded, 'another-model')).toMatchObject({ ok: false, reason: 'model_not_served' });
  });

  it("recognises LM Studio's context error and the counts it names", async () => {
    const audit = await askThroughProxy(await replay('lmstudio.json', 'default_window'));
    expect(audit[0]?.upstream_error).toEqual({ kind: 'context_exceeded', code: 'context_exceeded', prompt_tokens: 7436, context_tokens: 4096 });
  });
});
