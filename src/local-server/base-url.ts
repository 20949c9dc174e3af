import { isIP } from 'node:net';

export interface BaseUrl {
  origin: string;
  hostname: string;
  port: number;
  // Path prefix before `/v1`, without a trailing slash: `http://h:1/v1` and `http://h:1` both
  // give '', so appending `/v1/...` never doubles the version segment.
  prefix: string;
}

export function parseBaseUrl(raw: string): BaseUrl {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`base URL must be http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') throw new Error('base URL must not carry credentials');
  if (url.search !== '' || url.hash !== '') throw new Error('base URL must not have a query or fragment');
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  return { origin: url.origin, hostname: unbracket(url.hostname), port, prefix };
}

export function endpointUrl(base: BaseUrl, path: `/${string}`): string {
  return `${base.origin}${base.prefix}${path}`;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = unbracket(hostname).toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export function unbracket(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}
