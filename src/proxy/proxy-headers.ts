import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// Only what an OpenAI-compatible server needs: nothing the client sends (cookies, org ids,
// other keys) reaches the upstream unless listed here.
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'user-agent'] as const;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

// The client's Authorization (the lane token) is never copied: it is replaced by the upstream
// key when there is one. Identity encoding keeps each SSE chunk readable the moment it arrives.
export function upstreamRequestHeaders(client: IncomingHttpHeaders, upstreamApiKey: string | undefined, bodyLength: number | null): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { 'accept-encoding': 'identity' };
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = client[name];
    if (value !== undefined) headers[name] = value;
  }
  if (upstreamApiKey) headers['authorization'] = `Bearer ${upstreamApiKey}`;
  if (bodyLength !== null) headers['content-length'] = bodyLength;
  return headers;
}

export function endToEndHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)));
}
