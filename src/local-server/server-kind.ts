import { basename } from 'node:path';
import { objectOf, okObject, type Probe } from './probe-json.js';

export type ServerKind = 'llama.cpp' | 'vllm' | 'ollama' | 'lmstudio' | 'scripted' | 'openai-compatible';

// How this project's scripted provider signs the models it lists: its answers come from a model
// script, so a run against it is a replay, never evidence of what the admitted model does.
export const SCRIPTED_OWNER = 'case-local-route';

export interface ServerCheck {
  ok: boolean;
  detail: string;
}

// The context window a server will give the admitted model, and where it was read: a window
// the server does not state (a model not loaded yet, a plain OpenAI-compatible server) is null.
export interface ContextWindow {
  tokens: number | null;
  source: string;
}

export interface KindProbes {
  models: Probe;
  lmstudioModels: Probe;
  ollamaPs: Probe;
  ollamaVersion: Probe;
  llamaProps: Probe;
  vllmVersion: Probe;
}

export interface ServerIdentity {
  kind: ServerKind;
  version: string | null;
  check: ServerCheck | null;
  context: ContextWindow;
  // llama.cpp in router mode: the admitted model's own /props, when it is loaded, holds its window.
  routerModelLoaded?: string;
}

export interface ModelCard {
  id: string;
  aliases: string[];
  card: Record<string, unknown>;
}

function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const record = objectOf(item);
    return record === null ? [] : [record];
  });
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const tokens = (value: unknown): number | null => (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null);
const UNSTATED: ContextWindow = { tokens: null, source: 'not stated by the server' };

// /v1/models as every server lists it; llama.cpp adds `aliases` (every name given with --alias,
// the card's id among them), the other servers list one name per card.
export function modelCards(models: Probe): ModelCard[] {
  return records(okObject(models)?.['data']).flatMap((card) => {
    const id = text(card['id']);
    if (id === null) return [];
    const aliases = Array.isArray(card['aliases']) ? card['aliases'].flatMap((alias: unknown) => (text(alias) !== null && alias !== id ? [String(alias)] : [])) : [];
    return [{ id, aliases, card }];
  });
}

// The card that answers to the admitted name, by id or by alias; exact and case-sensitive.
export function cardFor(cards: readonly ModelCard[], admitted: string): ModelCard | undefined {
  return cards.find((card) => card.id === admitted) ?? cards.find((card) => card.aliases.includes(admitted));
}

// LM Studio with JIT loading lists every downloaded model in /v1/models; `state` says whether it
// is loaded or would be loaded by the first request, and `loaded_context_length` the window of a
// loaded one (LM Studio docs, REST API v0: GET /api/v0/models). A model not loaded yet passes, as
// in Ollama and llama.cpp's router: its window is known only once it loads.
const LMSTUDIO_SERVING_STATES = new Set(['loaded', 'not-loaded']);

function lmstudio(probe: Probe, admitted: string): ServerIdentity | null {
  const cards = records(okObject(probe)?.['data']);
  if (cards.length === 0 || !cards.some((card) => 'state' in card)) return null;
  const card = cards.find((entry) => entry['id'] === admitted);
  const state = text(card?.['state']);
  const loaded = tokens(card?.['loaded_context_length']);
  const detail = state === 'not-loaded' ? `'${admitted}' is not-loaded; LM Studio loads it on the first request` : `'${admitted}' is ${state ?? 'in an unknown state'}`;
  return {
    kind: 'lmstudio',
    version: null,
    check: card ? { ok: state !== null && LMSTUDIO_SERVING_STATES.has(state), detail } : { ok: false, detail: `'${admitted}' is not in /api/v0/models` },
    context:
      loaded !== null
        ? { tokens: loaded, source: 'LM Studio /api/v0/models loaded_context_length' }
        : { tokens: null, source: 'LM Studio states it only once the model is loaded' },
  };
}

// Ollama forwards `*-cloud` / `:cloud` models to its remote service even through a loopback URL.
const OLLAMA_CLOUD = /(^|[-:])cloud$/i;

// /api/ps lists the loaded models with `context_length`, the window Ollama allocated (its
// num_ctx); a model that is not loaded has none yet (Ollama docs, api.md: List Running Models).
function ollama(probe: Probe, versionProbe: Probe, admitted: string): ServerIdentity | null {
  const body = okObject(probe);
  const version = text(okObject(versionProbe)?.['version']);
  if (!body || !Array.isArray(body['models'])) return null;
  const running = records(body['models']);
  const loaded = running.flatMap((model) => text(model['name']) ?? text(model['model']) ?? []);
  const mine = running.find((model) => model['name'] === admitted || model['model'] === admitted);
  const window = tokens(mine?.['context_length']);
  const context = window !== null ? { tokens: window, source: 'Ollama /api/ps context_length' } : { tokens: null, source: 'Ollama states it only once the model is loaded' };
  if (OLLAMA_CLOUD.test(admitted)) {
    return { kind: 'ollama', version, check: { ok: false, detail: `'${admitted}' is an Ollama cloud model, served remotely` }, context };
  }
  if (loaded.length > 0 && !loaded.includes(admitted)) {
    return { kind: 'ollama', version, check: { ok: false, detail: `loaded: ${loaded.join(', ')}; not '${admitted}'` }, context };
  }
  const detail = loaded.length > 0 ? `'${admitted}' is loaded` : `nothing loaded; '${admitted}' loads on demand`;
  return { kind: 'ollama', version, check: { ok: true, detail }, context };
}

// llama.cpp's router mode (started without -m: models loaded on demand) answers /props for itself
// with role "router" and placeholder names; what it can serve is in /v1/models, each card with a
// status (loaded, unloaded, loading, failed). tools/server/server-models.cpp.
function llamaRouter(props: Record<string, unknown>, cards: readonly ModelCard[], admitted: string): ServerIdentity {
  const version = text(props['build_info']);
  const card = cardFor(cards, admitted);
  if (!card) return { kind: 'llama.cpp', version, check: { ok: false, detail: `router mode: no model named '${admitted}'` }, context: UNSTATED };
  const status = objectOf(card.card['status']);
  const state = text(status?.['value']) ?? 'in an unknown state';
  const failed = status?.['failed'] === true || state === 'failed';
  const named = card.id === admitted ? `'${admitted}'` : `'${admitted}' (an alias of '${card.id}')`;
  return {
    kind: 'llama.cpp',
    version,
    check: failed ? { ok: false, detail: `router mode: ${named} failed to load` } : { ok: true, detail: `router mode: ${named} is ${state}` },
    context: state === 'loaded' ? { tokens: null, source: 'llama.cpp router: read from the model instance' } : { tokens: null, source: `llama.cpp router: '${card.id}' is ${state}; its window is known once loaded` },
    ...(state === 'loaded' ? { routerModelLoaded: card.id } : {}),
  };
}

// The window each request gets is a slot's (n_ctx divided among --parallel slots), the figure
// llama-server's own "exceeds the available context size" error names.
export function llamaSlotContext(props: Record<string, unknown> | null): number | null {
  return tokens(objectOf(props?.['default_generation_settings'])?.['n_ctx']);
}

// Only the model file's base name is reported: the full path names the user's directories.
function llamaCpp(probe: Probe, cards: readonly ModelCard[], admitted: string): ServerIdentity | null {
  const props = okObject(probe);
  if (!props || !('model_path' in props || 'model_alias' in props)) return null;
  if (props['role'] === 'router') return llamaRouter(props, cards, admitted);
  const version = text(props['build_info']);
  const alias = text(props['model_alias']);
  const path = text(props['model_path']);
  const file = path === null ? null : basename(path);
  const aliases = cards.flatMap((card) => (card.id === alias ? card.aliases : []));
  const names = [alias, ...aliases, path, file, file?.replace(/\.gguf$/i, '') ?? null];
  const also = aliases.length > 0 ? ` (also ${aliases.map((a) => `'${a}'`).join(', ')})` : '';
  const detail = `alias '${alias ?? ''}'${also}, model file '${file ?? ''}'`;
  const window = llamaSlotContext(props);
  const context = window !== null ? { tokens: window, source: 'llama.cpp /props n_ctx (per slot)' } : UNSTATED;
  if (alias === null && path === null) return { kind: 'llama.cpp', version, check: { ok: false, detail: 'no loaded model named in /props' }, context };
  return { kind: 'llama.cpp', version, check: { ok: names.includes(admitted), detail }, context };
}

// vLLM serves exactly its cards; the card's `root` (the weights it was started from) is the
// useful extra fact, and `max_model_len` its window (vllm/entrypoints/openai/protocol.py ModelCard).
function vllm(cards: readonly ModelCard[], version: Probe, admitted: string): ServerIdentity | null {
  const release = text(okObject(version)?.['version']);
  if (release === null || !cards.some((card) => 'root' in card.card)) return null;
  const card = cards.find((entry) => entry.id === admitted);
  const root = text(card?.card['root']);
  const window = tokens(card?.card['max_model_len']);
  return {
    kind: 'vllm',
    version: release,
    check: card
      ? { ok: true, detail: `vLLM ${release} serves '${admitted}' from '${root === null ? '' : basename(root)}'` }
      : { ok: false, detail: `vLLM ${release} has no card for '${admitted}'` },
    context: window !== null ? { tokens: window, source: 'vLLM /v1/models max_model_len' } : UNSTATED,
  };
}

// A server of no known kind may still state the window on its card, as vLLM and SGLang do.
function openaiCompatible(cards: readonly ModelCard[], admitted: string): ServerIdentity {
  const window = tokens(cardFor(cards, admitted)?.card['max_model_len']);
  return { kind: 'openai-compatible', version: null, check: null, context: window !== null ? { tokens: window, source: '/v1/models max_model_len' } : UNSTATED };
}

function scripted(cards: readonly ModelCard[]): ServerIdentity | null {
  return cards.length > 0 && cards.every((card) => card.card['owned_by'] === SCRIPTED_OWNER) ? { kind: 'scripted', version: null, check: null, context: UNSTATED } : null;
}

export function identifyServer(probes: KindProbes, admitted: string): ServerIdentity {
  const cards = modelCards(probes.models);
  return (
    scripted(cards) ??
    lmstudio(probes.lmstudioModels, admitted) ??
    ollama(probes.ollamaPs, probes.ollamaVersion, admitted) ??
    llamaCpp(probes.llamaProps, cards, admitted) ??
    vllm(cards, probes.vllmVersion, admitted) ??
    openaiCompatible(cards, admitted)
  );
}
