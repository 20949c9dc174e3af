import { endpointUrl, isLoopbackHost, parseBaseUrl, type BaseUrl } from './base-url.js';
import { okObject, probeJson } from './probe-json.js';
import { identifyServer, llamaSlotContext, modelCards, type ContextWindow, type ServerCheck, type ServerKind } from './server-kind.js';

export type { ContextWindow, ServerKind } from './server-kind.js';

export interface PreflightObservation {
  reachable: boolean;
  error: string | null;
  health_status: number | null;
  models_listed: string[];
  // Other names a listed model answers to (llama.cpp's --alias a,b), by the id they belong to.
  model_aliases: Record<string, string[]>;
  server_kind: ServerKind;
  server_version: string | null;
  server_check: ServerCheck | null;
  context_window: ContextWindow;
}

export interface ObserveOptions {
  apiKey?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
const KEY_VARIABLE = 'CTO_HARNESS_CASE_LOCAL_API_KEY';

function unreachable(error: string, healthStatus: number | null = null): PreflightObservation {
  return {
    reachable: false,
    error,
    health_status: healthStatus,
    models_listed: [],
    model_aliases: {},
    server_kind: 'openai-compatible',
    server_version: null,
    server_check: null,
    context_window: { tokens: null, source: 'not read: the server did not answer the preflight' },
  };
}

// A server that wants a key answers 401 (llama-server --api-key, vLLM --api-key) or 403; say so,
// and name the one place a key can be given, rather than calling it unreachable.
function refusedStatus(status: number, apiKey: string | undefined): string {
  if (status !== 401 && status !== 403) return `answered GET /v1/models with ${status}`;
  return apiKey
    ? `refused the key in ${KEY_VARIABLE} (GET /v1/models answered ${status})`
    : `wants an API key (GET /v1/models answered ${status}); set ${KEY_VARIABLE}`;
}

// The name the admitted model answers to on this server, for listing checks after the lane too.
export function listsModel(observation: Pick<PreflightObservation, 'models_listed' | 'model_aliases'>, model: string): boolean {
  return observation.models_listed.includes(model) || Object.values(observation.model_aliases).some((aliases) => aliases.includes(model));
}

// Observation only, never a verdict: the gates decide. Every probe is a GET that a plain
// OpenAI-compatible server answers with 404 and that loads nothing on the servers that know it.
export async function observeProvider(baseUrl: string, admittedModel: string, opts: ObserveOptions = {}): Promise<PreflightObservation> {
  let base: BaseUrl;
  try {
    base = parseBaseUrl(baseUrl);
  } catch {
    return unreachable('base URL is not a valid http(s) URL');
  }
  // The key would travel with every probe, so a non-loopback URL is not contacted at all.
  if (!isLoopbackHost(base.hostname)) return unreachable('base URL is not loopback; not contacted');

  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const get = (path: `/${string}`) => probeJson(endpointUrl(base, path), opts.apiKey, timeoutMs);
  const [health, models] = await Promise.all([get('/health'), get('/v1/models')]);
  const healthStatus = health.status;

  if (models.status === null) return unreachable(`did not answer GET /v1/models: ${models.error}`, healthStatus);
  if (models.status !== 200) return unreachable(refusedStatus(models.status, opts.apiKey), healthStatus);
  if (!Array.isArray(okObject(models)?.['data'])) return unreachable('answered GET /v1/models without a data array', healthStatus);
  const cards = modelCards(models);

  const [lmstudioModels, ollamaPs, ollamaVersion, llamaProps, vllmVersion] = await Promise.all([
    get('/api/v0/models'),
    get('/api/ps'),
    get('/api/version'),
    get('/props'),
    get('/version'),
  ]);
  const identity = identifyServer({ models, lmstudioModels, ollamaPs, ollamaVersion, llamaProps, vllmVersion }, admittedModel);
  let context = identity.context;
  if (identity.routerModelLoaded !== undefined) {
    // autoload=false: asking a router for a model's props must not load it.
    const props = await get(`/props?model=${encodeURIComponent(identity.routerModelLoaded)}&autoload=false`);
    const window = llamaSlotContext(okObject(props));
    context = window !== null ? { tokens: window, source: 'llama.cpp router: the model instance /props n_ctx (per slot)' } : context;
  }
  return {
    reachable: true,
    error: healthStatus === 503 ? 'GET /health answered 503 (not ready)' : null,
    health_status: healthStatus,
    models_listed: cards.map((card) => card.id),
    model_aliases: Object.fromEntries(cards.filter((card) => card.aliases.length > 0).map((card) => [card.id, card.aliases])),
    server_kind: identity.kind,
    server_version: identity.version,
    server_check: identity.check,
    context_window: context,
  };
}
