import { isIP } from 'node:net';

// WHATWG URL parsing already folds IPv4 shorthands (127.1, 0x7f.1) into dotted quads and
// brackets IPv6, so only canonical forms need to be recognised here.
export function isLoopbackHost(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  if (hostname === '[::1]') return true;
  if (isIP(hostname) === 4) return hostname.startsWith('127.');
  return false;
}
