import { endpointUrl, isLoopbackHost, parseBaseUrl, type BaseUrl } from './base-url.js';
import { objectOf, okObject, probeJson } from './probe-json.js';
import { identifyServer, type ServerCheck, type ServerKind } from './server-kind.js';

export type { ServerKind } from './server-kind.js';

export interface PreflightObservation {
  reachable: boolean;
  error: string | null;
  health_status: number | null;
  models_listed: string[];
  server_kind: ServerKind;
  server_check: ServerCheck | null;
}

export interface ObserveOptions {
  apiKey?: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

function unreachable(error: string, healthStatus: number | null = null): PreflightObservation {
  return { reachable: false, error, health_status: healthStatus, models_listed: [], server_kind: 'openai-compatible', server_check: null };
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

  if (models.status === null) return unreachable(`GET /v1/models: ${models.error}`, healthStatus);
  if (models.status !== 200) return unreachable(`GET /v1/models answered ${models.status}`, healthStatus);
  const data = okObject(models)?.['data'];
  if (!Array.isArray(data)) return unreachable('GET /v1/models: no data array', healthStatus);
  const modelsListed = data.flatMap((card: unknown) => {
    const id = objectOf(card)?.['id'];
    return typeof id === 'string' ? [id] : [];
  });

  const [lmstudioModels, ollamaPs, llamaProps, vllmVersion] = await Promise.all([
    get('/api/v0/models'),
    get('/api/ps'),
    get('/props'),
    get('/version'),
  ]);
  const identity = identifyServer({ models, lmstudioModels, ollamaPs, llamaProps, vllmVersion }, admittedModel);
  return {
    reachable: true,
    error: healthStatus === 503 ? 'GET /health answered 503 (not ready)' : null,
    health_status: healthStatus,
    models_listed: modelsListed,
    server_kind: identity.kind,
    server_check: identity.check,
  };
}
