export type Probe = { status: number; json: unknown } | { status: null; error: string };

// Errors are reduced to a code ("ECONNREFUSED", "timeout"): messages from fetch can quote the URL,
// and a short code is all a report needs.
function shortError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (cause?.message?.includes('redirect')) return 'redirect refused';
  return error instanceof Error ? error.name : 'error';
}

// Redirects are refused: following one could carry the key to a host nobody admitted.
export async function probeJson(url: string, apiKey: string | undefined, timeoutMs: number): Promise<Probe> {
  try {
    const response = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}`, accept: 'application/json' } : { accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
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
