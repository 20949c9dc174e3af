import { createHash, timingSafeEqual } from 'node:crypto';

export type RefusalReason =
  | 'bad_token'
  | 'model_missing'
  | 'model_not_admitted'
  | 'fallbacks_field'
  | 'field_not_allowed'
  | 'path_not_allowed'
  | 'bad_json'
  | 'body_too_large';

export const REFUSAL_STATUS: Readonly<Record<RefusalReason, number>> = {
  bad_token: 401,
  model_missing: 403,
  model_not_admitted: 403,
  fallbacks_field: 403,
  field_not_allowed: 403,
  path_not_allowed: 404,
  bad_json: 400,
  body_too_large: 413,
};

export type ProxyRoute = 'POST /v1/chat/completions' | 'GET /v1/models';

// Exact match on the raw path, before any URL normalisation: `/v1/models/../x`, `//host/v1/models`
// and encoded variants are all refused rather than interpreted.
export function allowedRoute(method: string | undefined, rawUrl: string | undefined): ProxyRoute | null {
  const route = `${method ?? ''} ${requestPath(rawUrl)}`;
  return route === 'POST /v1/chat/completions' || route === 'GET /v1/models' ? route : null;
}

// The query is dropped everywhere (never forwarded, never audited): it is where keys hide.
export function requestPath(rawUrl: string | undefined): string {
  return (rawUrl ?? '').split('?', 1)[0] ?? '';
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

// Compared as digests, in constant time, so neither the token's length nor its prefix leaks
// through timing; the lane's own digest is taken once.
export function laneTokenCheck(laneToken: string): (authorization: string | undefined) => boolean {
  const expected = digest(laneToken);
  return (authorization) => {
    const match = /^Bearer +(\S+)$/i.exec(authorization ?? '');
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}

export type BodyVerdict =
  | { ok: true; model: string; forwardBody: Uint8Array }
  | { ok: false; reason: RefusalReason; model: string | null };

// The request fields Case may send, and nothing else. From pi-ai's openai-completions provider
// (buildParams, @mariozechner/pi-ai 0.63.2, the version Case locks): model, messages, stream,
// stream_options, store, max_tokens / max_completion_tokens, temperature, tools, tool_choice and its
// thinking switches (enable_thinking, chat_template_kwargs, reasoning_effort). Added from the OpenAI
// chat-completions reference: the sampling and output-shape fields that select nothing (top_p,
// stop, seed, presence/frequency penalties, parallel_tool_calls, response_format). Left out on
// purpose: the fields pi sends only to hosted routers (`provider` for OpenRouter, `providerOptions`
// for Vercel's gateway, `reasoning`), and OpenAI fields that reach other services or tiers
// (web_search_options, service_tier, audio, prediction, metadata, user, ...).
export const ALLOWED_REQUEST_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'store',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'tools',
  'tool_choice',
  'enable_thinking',
  'chat_template_kwargs',
  'reasoning_effort',
  'top_p',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'parallel_tool_calls',
  'response_format',
]);

// Keys that route a request to another model or provider on the servers and gateways that
// honour them (LiteLLM `fallbacks`/`models`/`model_list`, OpenRouter `models`/`route`/`provider`/
// `transforms`, Vercel `providerOptions`, an SDK's `extra_body` sent literally), refused wherever
// they appear: a local server that forwards nested options (chat_template_kwargs, tool schemas)
// must not be handed one either.
const ROUTING_KEYS = new Set(['models', 'model_list', 'route', 'routing', 'provider', 'providers', 'provideroptions', 'transforms', 'extra_body', 'api_base', 'base_url']);

function namesRouting(key: string): boolean {
  const lower = key.toLowerCase();
  return ROUTING_KEYS.has(lower) || lower.includes('fallback');
}

// Iterative, so a deeply nested body cannot exhaust the stack (the body cap bounds the work).
function routingKeyIn(value: unknown): string | null {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Array.isArray(next)) {
      pending.push(...next);
      continue;
    }
    for (const [key, child] of Object.entries(next)) {
      if (namesRouting(key)) return key;
      pending.push(child);
    }
  }
  return null;
}

// Uint8Array rather than Buffer in what the package's types reach, so that a consumer compiles
// them without @types/node.
const UTF8 = new TextDecoder();

export function checkCompletionBody(body: Uint8Array, admittedModel: string): BodyVerdict {
  let json: unknown;
  try {
    json = JSON.parse(UTF8.decode(body));
  } catch {
    return { ok: false, reason: 'bad_json', model: null };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'bad_json', model: null };
  }
  const fields = json as Record<string, unknown>;
  const model = fields['model'];
  if (model === undefined || model === null) return { ok: false, reason: 'model_missing', model: null };
  if (typeof model !== 'string') return { ok: false, reason: 'model_not_admitted', model: null };
  if (model !== admittedModel) return { ok: false, reason: 'model_not_admitted', model };
  if (routingKeyIn(fields) !== null) return { ok: false, reason: 'fallbacks_field', model };
  if (Object.keys(fields).some((key) => !ALLOWED_REQUEST_FIELDS.has(key))) return { ok: false, reason: 'field_not_allowed', model };
  // The checked value is what goes upstream, re-serialised: with duplicate `model` keys the raw
  // bytes could mean one model to JSON.parse and another to the server's parser.
  return { ok: true, model, forwardBody: Buffer.from(JSON.stringify(fields)) };
}
