import { ENV, type EnvConfig, type EnvKey } from '../inputs/env-config.js';
import { block, PASS, type GateResult } from './gate-result.js';
import { isLoopbackHost, parseBaseUrl } from '../provider/base-url.js';

const REQUIRED: readonly EnvKey[] = ['admissionFile', 'provider', 'model'];

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

export function configIsComplete(config: EnvConfig): GateResult {
  const missing = REQUIRED.filter((key) => isBlank(config[key])).map((key) => ENV[key]);
  return missing.length === 0 ? PASS : block('config_missing', `${missing.join(', ')} missing or empty`);
}

export type ParsedBaseUrl = { ok: true; hostname: string } | { ok: false; detail: string };

// One parser for the base URL everywhere (gates, preflight, proxy), so the gate checks exactly
// the URL the proxy will forward to.
export function checkBaseUrl(value: string | undefined): ParsedBaseUrl {
  if (isBlank(value)) return { ok: false, detail: `${ENV.baseUrl} missing or empty` };
  try {
    return { ok: true, hostname: parseBaseUrl(value!.trim()).hostname };
  } catch (error) {
    const reason = error instanceof TypeError ? 'is not a URL' : (error as Error).message.replace(/^base URL /, '');
    return { ok: false, detail: `${ENV.baseUrl} ${reason}` };
  }
}

export function localAdapterIsConfigured(config: EnvConfig): GateResult {
  const parsed = checkBaseUrl(config.baseUrl);
  return parsed.ok ? PASS : block('local_adapter_config_missing', parsed.detail);
}

export function localAdapterIsLoopback(config: EnvConfig): GateResult {
  const parsed = checkBaseUrl(config.baseUrl);
  if (!parsed.ok) return block('local_adapter_config_missing', parsed.detail);
  return isLoopbackHost(parsed.hostname)
    ? PASS
    : block('local_adapter_not_loopback', `${ENV.baseUrl} host "${parsed.hostname}" is not loopback (127.0.0.0/8, ::1, localhost)`);
}
