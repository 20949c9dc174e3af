import { ENV, type EnvConfig, type EnvKey } from '../inputs/env-config.js';
import { block, PASS, type GateResult } from './gate-result.js';
import { isLoopbackHost, parseBaseUrl } from '../local-server/base-url.js';

// A missing variable is config_missing whichever it is, and every missing one is named at once.
// The decision file is loaded before the environment is checked, so its variable has its own gate.
const REQUIRED: readonly EnvKey[] = ['admissionFile', 'provider', 'model', 'baseUrl'];
const REQUIRED_FOR_REAL_LANE: readonly EnvKey[] = [...REQUIRED, 'caseCommand'];

function isBlank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}

export function missingVariables(keys: readonly EnvKey[]): string {
  return `${keys.map((key) => ENV[key]).join(', ')} missing or empty`;
}

export function configIsComplete(config: EnvConfig, lane: 'fake' | 'real' | 'replay'): GateResult {
  const missing = (lane === 'real' ? REQUIRED_FOR_REAL_LANE : REQUIRED).filter((key) => isBlank(config[key]));
  return missing.length === 0 ? PASS : block('config_missing', missingVariables(missing));
}

export type ParsedBaseUrl = { ok: true; hostname: string } | { ok: false; detail: string };

// One parser for the base URL everywhere (gates, preflight, proxy), so the gate checks exactly
// the URL the proxy will forward to.
// `user:secret@127.0.0.1:8080` without a scheme parses as the scheme `user:`; it still carries
// credentials, and that is what the user must hear.
const USERINFO = /^(?:[a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i;

export function checkBaseUrl(value: string | undefined): ParsedBaseUrl {
  if (isBlank(value)) return { ok: false, detail: missingVariables(['baseUrl']) };
  try {
    return { ok: true, hostname: parseBaseUrl(value!.trim()).hostname };
  } catch (error) {
    if (USERINFO.test(value!.trim())) return { ok: false, detail: `${ENV.baseUrl} must not carry credentials (user:password@): give the key in ${ENV.apiKey}` };
    const reason = error instanceof TypeError ? 'is not a URL' : (error as Error).message.replace(/^base URL /, '');
    return { ok: false, detail: `${ENV.baseUrl} ${reason}` };
  }
}

function baseUrlBlock(config: EnvConfig, detail: string): GateResult {
  return block(isBlank(config.baseUrl) ? 'config_missing' : 'local_adapter_config_missing', detail);
}

export function localAdapterIsConfigured(config: EnvConfig): GateResult {
  const parsed = checkBaseUrl(config.baseUrl);
  return parsed.ok ? PASS : baseUrlBlock(config, parsed.detail);
}

export function localAdapterIsLoopback(config: EnvConfig): GateResult {
  const parsed = checkBaseUrl(config.baseUrl);
  if (!parsed.ok) return baseUrlBlock(config, parsed.detail);
  return isLoopbackHost(parsed.hostname)
    ? PASS
    : block('local_adapter_not_loopback', `${ENV.baseUrl} host "${parsed.hostname}" is not loopback (127.0.0.0/8, ::1, localhost)`);
}
