import { createHash, timingSafeEqual } from 'node:crypto';

export type RefusalReason =
  | 'bad_token'
  | 'model_missing'
  | 'model_not_admitted'
  | 'fallbacks_field'
  | 'path_not_allowed'
  | 'bad_json'
  | 'body_too_large'
  | 'upstream_error';

export const REFUSAL_STATUS: Readonly<Record<RefusalReason, number>> = {
  bad_token: 401,
  model_missing: 403,
  model_not_admitted: 403,
  fallbacks_field: 403,
  path_not_allowed: 404,
  bad_json: 400,
  body_too_large: 413,
  upstream_error: 502,
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

// Any top-level key naming a fallback, or an OpenRouter-style `models` list, could route the
// request to a model other than the admitted one; none has a use against a local server.
function namesFallback(key: string): boolean {
  return key === 'models' || key.toLowerCase().includes('fallback');
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
  if (Object.keys(fields).some(namesFallback)) return { ok: false, reason: 'fallbacks_field', model };
  // The checked value is what goes upstream, re-serialised: with duplicate `model` keys the raw
  // bytes could mean one model to JSON.parse and another to the server's parser.
  return { ok: true, model, forwardBody: Buffer.from(JSON.stringify(fields)) };
}
