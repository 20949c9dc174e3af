import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

export type Probe = { status: number; json: unknown } | { status: null; error: string };

// A probe answer is a small JSON document; anything larger is not one.
const MAX_PROBE_BYTES = 1024 * 1024;

// node:http rather than fetch: a run's first fetch loads Node's bundled undici, about 40 ms of a
// run that is otherwise over in a few hundred (bench/RESULTS.md, whole route).
// A connection of its own for each probe (agent: false), closed with the answer: nothing pooled
// outlives the preflight.
function getText(url: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? httpsGet : httpGet)(url, { headers, agent: false }, (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      // Redirects are refused: following one could carry the key to a host nobody admitted.
      if (status >= 300 && status < 400) {
        request.destroy();
        reject(Object.assign(new Error('redirect refused'), { code: 'redirect refused' }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_PROBE_BYTES) request.destroy(Object.assign(new Error('answer too large'), { code: 'answer too large' }));
        else chunks.push(chunk);
      });
      // As fetch's text() does, a leading byte-order mark is dropped.
      response.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '') }));
      response.on('error', reject);
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })), timeoutMs);
    request.on('error', reject);
    request.on('close', () => clearTimeout(timer));
  });
}

// Errors are reduced to a code ("ECONNREFUSED", "timeout"): messages can quote the URL, and a
// short code is all a report needs.
function shortError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'error';
}

export async function probeJson(url: string, apiKey: string | undefined, timeoutMs: number): Promise<Probe> {
  try {
    const { status, text } = await getText(url, apiKey ? { authorization: `Bearer ${apiKey}`, accept: 'application/json' } : { accept: 'application/json' }, timeoutMs);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status, json };
  } catch (error) {
    return { status: null, error: shortError(error) };
  }
}

export function objectOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

export function okObject(probe: Probe): Record<string, unknown> | null {
  return probe.status === 200 ? objectOf(probe.json) : null;
}
