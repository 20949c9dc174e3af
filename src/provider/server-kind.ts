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

export interface KindProbes {
  models: Probe;
  lmstudioModels: Probe;
  ollamaPs: Probe;
  llamaProps: Probe;
  vllmVersion: Probe;
}

export interface ServerIdentity {
  kind: ServerKind;
  check: ServerCheck | null;
}

function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    const record = objectOf(item);
    return record === null ? [] : [record];
  });
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

// LM Studio with JIT loading lists every downloaded model in /v1/models; only `state` says
// which one would answer without a load.
function lmstudio(probe: Probe, admitted: string): ServerIdentity | null {
  const cards = records(okObject(probe)?.['data']);
  if (cards.length === 0 || !cards.some((card) => 'state' in card)) return null;
  const card = cards.find((entry) => entry['id'] === admitted);
  const state = text(card?.['state']);
  return {
    kind: 'lmstudio',
    check: card
      ? { ok: state === 'loaded', detail: `'${admitted}' is ${state ?? 'in an unknown state'}` }
      : { ok: false, detail: `'${admitted}' is not in /api/v0/models` },
  };
}

// Ollama forwards `*-cloud` / `:cloud` models to its remote service even through a loopback URL.
const OLLAMA_CLOUD = /(^|[-:])cloud$/i;

function ollama(probe: Probe, admitted: string): ServerIdentity | null {
  const body = okObject(probe);
  if (!body || !Array.isArray(body['models'])) return null;
  const loaded = records(body['models']).flatMap((model) => text(model['name']) ?? text(model['model']) ?? []);
  if (OLLAMA_CLOUD.test(admitted)) {
    return { kind: 'ollama', check: { ok: false, detail: `'${admitted}' is an Ollama cloud model, served remotely` } };
  }
  if (loaded.length > 0 && !loaded.includes(admitted)) {
    return { kind: 'ollama', check: { ok: false, detail: `loaded: ${loaded.join(', ')}; not '${admitted}'` } };
  }
  const detail = loaded.length > 0 ? `'${admitted}' is loaded` : `nothing loaded; '${admitted}' loads on demand`;
  return { kind: 'ollama', check: { ok: true, detail } };
}

// Only the model file's base name is reported: the full path names the user's directories.
function llamaCpp(probe: Probe, admitted: string): ServerIdentity | null {
  const props = okObject(probe);
  if (!props || !('model_path' in props || 'model_alias' in props)) return null;
  const alias = text(props['model_alias']);
  const path = text(props['model_path']);
  const file = path === null ? null : basename(path);
  const names = [alias, path, file, file?.replace(/\.gguf$/i, '') ?? null];
  const detail = `alias '${alias ?? ''}', model file '${file ?? ''}'`;
  if (alias === null && path === null) return { kind: 'llama.cpp', check: { ok: false, detail: 'no loaded model named in /props' } };
  return { kind: 'llama.cpp', check: { ok: names.includes(admitted), detail } };
}

// vLLM serves exactly its cards; the card's `root` (the weights it was started from) is the
// useful extra fact.
function vllm(models: Probe, version: Probe, admitted: string): ServerIdentity | null {
  const cards = records(okObject(models)?.['data']);
  const release = text(okObject(version)?.['version']);
  if (release === null || !cards.some((card) => 'root' in card)) return null;
  const card = cards.find((entry) => entry['id'] === admitted);
  const root = text(card?.['root']);
  return {
    kind: 'vllm',
    check: card
      ? { ok: true, detail: `vLLM ${release} serves '${admitted}' from '${root === null ? '' : basename(root)}'` }
      : { ok: false, detail: `vLLM ${release} has no card for '${admitted}'` },
  };
}

function scripted(models: Probe): ServerIdentity | null {
  const cards = records(okObject(models)?.['data']);
  return cards.length > 0 && cards.every((card) => card['owned_by'] === SCRIPTED_OWNER) ? { kind: 'scripted', check: null } : null;
}

export function identifyServer(probes: KindProbes, admitted: string): ServerIdentity {
  return (
    scripted(probes.models) ??
    lmstudio(probes.lmstudioModels, admitted) ??
    ollama(probes.ollamaPs, admitted) ??
    llamaCpp(probes.llamaProps, admitted) ??
    vllm(probes.models, probes.vllmVersion, admitted) ?? { kind: 'openai-compatible', check: null }
  );
}
