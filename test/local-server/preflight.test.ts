import { afterEach, describe, expect, it } from 'vitest';
import { observeProvider } from '../../src/local-server/preflight.js';
import { startScriptedProvider } from '../../src/scripted-provider/scripted-provider.js';
import { deadPort, sendJson, startFakeServer, type FakeServer } from '../support/fake-server.js';

const MODEL = 'qwen3.6-35b-a3b';
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

async function fake(routes: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(routes);
  stops.push(server.close);
  return server;
}

const modelList = (...ids: string[]) => (_req: unknown, res: Parameters<typeof sendJson>[0]) =>
  sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model' })) });

describe('observeProvider against the scripted provider', () => {
  it('sees a reachable server listing the admitted model, and knows it for the scripted provider', async () => {
    const provider = await startScriptedProvider({ model: MODEL, script: { roles: {} } });
    stops.push(provider.close);
    expect(await observeProvider(provider.url, MODEL)).toEqual({
      reachable: true,
      error: null,
      health_status: 200,
      models_listed: [MODEL],
      model_aliases: {},
      server_kind: 'scripted',
      server_version: null,
      server_check: null,
      context_window: { tokens: null, source: 'not stated by the server' },
    });
    expect((await observeProvider(`${provider.url}/v1/`, MODEL)).models_listed).toEqual([MODEL]);
  });

  it('lists what is served verbatim when it is not the admitted model', async () => {
    const provider = await startScriptedProvider({ model: 'Qwen3.6-35B-A3B', script: { roles: {} } });
    stops.push(provider.close);
    const observation = await observeProvider(provider.url, MODEL);
    expect(observation.reachable).toBe(true);
    expect(observation.models_listed).toEqual(['Qwen3.6-35B-A3B']);
  });

  it('reports a dead port as unreachable without throwing', async () => {
    const observation = await observeProvider(`http://127.0.0.1:${await deadPort()}/v1`, MODEL);
    expect(observation).toMatchObject({ reachable: false, health_status: null, models_listed: [], server_check: null });
    expect(observation.error).toBe('did not answer GET /v1/models: ECONNREFUSED');
  });

  it('does not contact a non-loopback or malformed URL', async () => {
    expect(await observeProvider('https://api.openai.com/v1', MODEL, { apiKey: 'k' })).toMatchObject({ reachable: false, error: 'base URL is not loopback; not contacted' });
    expect((await observeProvider('not a url', MODEL)).reachable).toBe(false);
  });
});

describe('observeProvider against stand-ins for known servers', () => {
  it('sends the key, and times out a server that never answers', async () => {
    const silent = await fake({ 'GET /v1/models': () => undefined, 'GET /health': () => undefined });
    const observation = await observeProvider(silent.url, MODEL, { apiKey: 'local-key', timeoutMs: 150 });
    expect(observation).toMatchObject({ reachable: false, error: 'did not answer GET /v1/models: timeout' });
    expect(silent.seen.every((request) => request.headers.authorization === 'Bearer local-key')).toBe(true);
  });

  it('treats an error status, a missing data array and a redirect as unreachable', async () => {
    const locked = await fake({ 'GET /v1/models': (_req, res) => sendJson(res, 401, { error: 'key' }) });
    expect((await observeProvider(locked.url, MODEL)).error).toBe('wants an API key (GET /v1/models answered 401); set CTO_HARNESS_CASE_LOCAL_API_KEY');
    expect((await observeProvider(locked.url, MODEL, { apiKey: 'wrong' })).error).toBe('refused the key in CTO_HARNESS_CASE_LOCAL_API_KEY (GET /v1/models answered 401)');
    const broken = await fake({ 'GET /v1/models': (_req, res) => sendJson(res, 500, { error: 'boom' }) });
    expect((await observeProvider(broken.url, MODEL)).error).toBe('answered GET /v1/models with 500');
    const odd = await fake({ 'GET /v1/models': (_req, res) => sendJson(res, 200, { models: [MODEL] }) });
    expect((await observeProvider(odd.url, MODEL)).error).toBe('answered GET /v1/models without a data array');
    const moved = await fake({
      'GET /v1/models': (_req, res) => {
        res.writeHead(302, { location: 'http://127.0.0.2:9/v1/models' });
        res.end();
      },
    });
    expect(await observeProvider(moved.url, MODEL)).toMatchObject({ reachable: false, error: 'did not answer GET /v1/models: redirect refused' });
  });

  it('recognises llama.cpp from /props and compares alias or model file', async () => {
    const props = { model_path: '/srv/jp/models/qwen3.6-35b-a3b.gguf', model_alias: '', build_info: 'b6000' };
    const llama = await fake({ 'GET /health': (_req, res) => sendJson(res, 200, { status: 'ok' }), 'GET /v1/models': modelList(MODEL), 'GET /props': (_req, res) => sendJson(res, 200, props) });
    const observation = await observeProvider(llama.url, MODEL);
    expect(observation.server_kind).toBe('llama.cpp');
    expect(observation.server_check).toEqual({ ok: true, detail: "alias '', model file 'qwen3.6-35b-a3b.gguf'" });
    expect(JSON.stringify(observation)).not.toContain('/srv/jp');

    const aliased = await fake({ 'GET /v1/models': modelList('other'), 'GET /props': (_req, res) => sendJson(res, 200, { model_path: '/m/other.gguf', model_alias: 'other' }) });
    expect((await observeProvider(aliased.url, MODEL)).server_check).toEqual({ ok: false, detail: "alias 'other', model file 'other.gguf'" });
  });

  it('records a llama.cpp server that is still loading', async () => {
    const loading = await fake({ 'GET /health': (_req, res) => sendJson(res, 503, { error: 'Loading model' }), 'GET /v1/models': modelList(MODEL) });
    expect(await observeProvider(loading.url, MODEL)).toMatchObject({ reachable: true, health_status: 503, error: 'GET /health answered 503 (not ready)' });
  });

  it('recognises LM Studio and passes a loaded admitted model or one it loads on demand', async () => {
    const states: Record<string, string> = { [MODEL]: 'loaded', 'gemma-3': 'not-loaded', 'mid-download': 'downloading' };
    const lmstudio = await fake({
      'GET /v1/models': modelList(MODEL, 'gemma-3', 'mid-download'),
      'GET /api/v0/models': (_req, res) => sendJson(res, 200, { object: 'list', data: Object.entries(states).map(([id, state]) => ({ id, object: 'model', state })) }),
    });
    expect(await observeProvider(lmstudio.url, MODEL)).toMatchObject({
      server_kind: 'lmstudio',
      models_listed: [MODEL, 'gemma-3', 'mid-download'],
      server_check: { ok: true, detail: `'${MODEL}' is loaded` },
    });
    expect((await observeProvider(lmstudio.url, 'gemma-3')).server_check).toEqual({ ok: true, detail: "'gemma-3' is not-loaded; LM Studio loads it on the first request" });
    expect((await observeProvider(lmstudio.url, 'mid-download')).server_check).toEqual({ ok: false, detail: "'mid-download' is downloading" });
    expect((await observeProvider(lmstudio.url, 'absent')).server_check?.ok).toBe(false);
  });

  it('recognises Ollama, refuses cloud models and a different loaded model', async () => {
    let loaded: { name: string; model: string }[] = [{ name: 'qwen3:latest', model: 'qwen3:latest' }];
    const ollama = await fake({
      'GET /v1/models': modelList('qwen3:latest', 'llama3.2:latest', 'gpt-oss:120b-cloud', 'glm-4.6:cloud'),
      'GET /api/ps': (_req, res) => sendJson(res, 200, { models: loaded }),
    });
    expect(await observeProvider(ollama.url, 'qwen3:latest')).toMatchObject({ server_kind: 'ollama', server_check: { ok: true } });
    expect((await observeProvider(ollama.url, 'llama3.2:latest')).server_check).toEqual({ ok: false, detail: "loaded: qwen3:latest; not 'llama3.2:latest'" });
    for (const cloud of ['gpt-oss:120b-cloud', 'glm-4.6:cloud']) {
      expect((await observeProvider(ollama.url, cloud)).server_check?.ok).toBe(false);
    }
    loaded = [];
    expect((await observeProvider(ollama.url, 'llama3.2:latest')).server_check).toEqual({ ok: true, detail: "nothing loaded; 'llama3.2:latest' loads on demand" });
    expect((await observeProvider(ollama.url, 'glm-4.6:cloud')).server_check?.ok).toBe(false);
  });

  it('recognises vLLM from card roots and /version', async () => {
    const vllm = await fake({
      'GET /v1/models': (_req, res) => sendJson(res, 200, { object: 'list', data: [{ id: MODEL, object: 'model', owned_by: 'vllm', root: '/srv/weights/Qwen3.6-35B-A3B' }] }),
      'GET /version': (_req, res) => sendJson(res, 200, { version: '0.11.0' }),
    });
    expect(await observeProvider(vllm.url, MODEL)).toMatchObject({
      server_kind: 'vllm',
      server_check: { ok: true, detail: `vLLM 0.11.0 serves '${MODEL}' from 'Qwen3.6-35B-A3B'` },
    });
    expect((await observeProvider(vllm.url, 'other')).server_check?.ok).toBe(false);
  });
});
