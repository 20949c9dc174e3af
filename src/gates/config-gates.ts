import { ENV, type EnvConfig, type EnvKey } from '../inputs/env-config.js';
import { block, PASS, type GateResult } from './gate-result.js';
import { isLoopbackHost } from './loopback.js';

const REQUIRED: readonly EnvKey[] = ['admissionFile', 'provider', 'model'];

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

export function configIsComplete(config: EnvConfig): GateResult {
  const missing = REQUIRED.filter((key) => isBlank(config[key])).map((key) => ENV[key]);
  return missing.length === 0 ? PASS : block('config_missing', `${missing.join(', ')} missing or empty`);
}

export type ParsedBaseUrl = { ok: true; url: URL } | { ok: false; detail: string };

export function parseBaseUrl(value: string | undefined): ParsedBaseUrl {
  if (isBlank(value)) return { ok: false, detail: `${ENV.baseUrl} missing or empty` };
  let url: URL;
  try {
    url = new URL(value!.trim());
  } catch {
    return { ok: false, detail: `${ENV.baseUrl} is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, detail: `${ENV.baseUrl} must be http or https, not ${url.protocol.replace(':', '')}` };
  }
  if (url.username || url.password) {
    return { ok: false, detail: `${ENV.baseUrl} must not carry credentials; use ${ENV.apiKey}` };
  }
  if (url.search || url.hash) {
    return { ok: false, detail: `${ENV.baseUrl} must not carry a query or fragment; use ${ENV.apiKey} for a key` };
  }
  return { ok: true, url };
}

export function localAdapterIsConfigured(config: EnvConfig): GateResult {
  const parsed = parseBaseUrl(config.baseUrl);
  return parsed.ok ? PASS : block('local_adapter_config_missing', parsed.detail);
}

export function localAdapterIsLoopback(config: EnvConfig): GateResult {
  const parsed = parseBaseUrl(config.baseUrl);
  if (!parsed.ok) return block('local_adapter_config_missing', parsed.detail);
  return isLoopbackHost(parsed.url.hostname)
    ? PASS
    : block('local_adapter_not_loopback', `${ENV.baseUrl} host "${parsed.url.hostname}" is not loopback (127.0.0.0/8, ::1, localhost)`);
}
