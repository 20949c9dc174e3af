import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The fake Case must fall back exactly where real Case does (case-facts.md), or a wrong generated
// config would pass in the fake lane and fail only against real Case.
export const CASE_HARDCODED_DEFAULT = { provider: 'anthropic', model: 'claude-sonnet-4-6' } as const;

// Built-in models pi would find without any models.json: the external fallback target.
const BUILT_IN: Record<string, { baseUrl: string; models: string[]; keyEnv: string[] }> = {
  anthropic: { baseUrl: 'https://api.anthropic.com/v1', models: ['claude-sonnet-4-6'], keyEnv: ['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'] },
  openai: { baseUrl: 'https://api.openai.com/v1', models: ['gpt-4o'], keyEnv: ['OPENAI_API_KEY'] },
};

export interface ModelRef {
  readonly provider: string;
  readonly model: string;
}

export interface ResolvedModel extends ModelRef {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
}

type Env = NodeJS.ProcessEnv;

export function caseDataDir(env: Env): string {
  if (env.CASE_DATA_DIR) return env.CASE_DATA_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'case');
  return join(env.HOME ?? '', '.config', 'case');
}

// Case treats a missing or unparsable config.json as {} without a word.
export function readCaseConfig(env: Env): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(caseDataDir(env), 'config.json'), 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function asRef(value: unknown): ModelRef | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const { provider, model } = value as Record<string, unknown>;
  return typeof provider === 'string' && typeof model === 'string' ? { provider, model } : undefined;
}

export function resolveModelRef(role: string, env: Env): ModelRef {
  if (env.CASE_MODEL_OVERRIDE) return { provider: 'anthropic', model: env.CASE_MODEL_OVERRIDE };
  const models = readCaseConfig(env).models as Record<string, unknown> | undefined;
  return asRef(models?.[role]) ?? asRef(models?.default) ?? CASE_HARDCODED_DEFAULT;
}

interface CustomProvider {
  baseUrl?: unknown;
  apiKey?: unknown;
  models?: Array<{ id?: unknown }>;
}

// pi's registry: custom models from $PI_CODING_AGENT_DIR/models.json (an invalid file is dropped
// silently), then the built-in ones. Keys only ever come from well-known env variables.
export function findModel(ref: ModelRef, env: Env): ResolvedModel | undefined {
  const agentDir = env.PI_CODING_AGENT_DIR ?? join(env.HOME ?? '', '.pi', 'agent');
  let custom: Record<string, CustomProvider> = {};
  try {
    custom = JSON.parse(readFileSync(join(agentDir, 'models.json'), 'utf8')).providers ?? {};
  } catch {
    custom = {};
  }
  const entry = custom[ref.provider];
  const builtIn = BUILT_IN[ref.provider];
  const keyEnv = builtIn?.keyEnv ?? [];
  const keyFrom = (names: string[]) => names.map((name) => env[name]).find(Boolean);
  if (entry && typeof entry.baseUrl === 'string' && entry.models?.some((m) => m.id === ref.model)) {
    const named = typeof entry.apiKey === 'string' ? [entry.apiKey] : [];
    return { ...ref, baseUrl: entry.baseUrl, apiKey: keyFrom([...named, ...keyEnv]) };
  }
  if (builtIn?.models.includes(ref.model)) return { ...ref, baseUrl: builtIn.baseUrl, apiKey: keyFrom(keyEnv) };
  return undefined;
}
