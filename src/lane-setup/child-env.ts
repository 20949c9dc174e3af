import { CASE_API_KEY_ENV } from './case-config.js';
import type { LaneDirs } from './lane-dirs.js';

// Only these are taken from the parent; everything else a lane sees is set here. Copying the
// parent and deleting known keys would let an unknown credential through.
const INHERITED = ['PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TERM'] as const;

const PROXY_VARS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'] as const;

export interface ChildEnvOptions {
  readonly dirs: LaneDirs;
  readonly laneToken: string;
  readonly recordingProxyPort: number;
  readonly egressProxyUrl: string;
}

export function buildChildEnv(parent: NodeJS.ProcessEnv, options: ChildEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  const { dirs } = options;
  env.PATH = [dirs.bin, env.PATH].filter(Boolean).join(':');
  env.HOME = dirs.home;
  env.XDG_CONFIG_HOME = dirs.xdgConfig;
  env.CASE_DATA_DIR = dirs.data;
  env.PI_CODING_AGENT_DIR = dirs.pi;
  env[CASE_API_KEY_ENV] = options.laneToken;
  env.GIT_CONFIG_NOSYSTEM = '1';
  env.GIT_TERMINAL_PROMPT = '0';
  for (const name of PROXY_VARS) env[name] = options.egressProxyUrl;
  // Only the lane's own recording proxy is exempt; Bun's fetch sends even loopback through
  // HTTP_PROXY otherwise, and a wider exemption would let a lane reach the upstream directly.
  const exempt = `127.0.0.1:${options.recordingProxyPort}`;
  env.NO_PROXY = exempt;
  env.no_proxy = exempt;
  return env;
}

// Names that would redirect Case's model choice, silence its spawn log or move its package root.
export const FORBIDDEN_CHILD_VARS = ['CASE_MODEL_OVERRIDE', 'CASE_QUIET', 'CASE_PACKAGE_ROOT'] as const;

const CREDENTIAL_NAME = /(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|^AWS_|^ANTHROPIC_|^OPENAI_|^GOOGLE_|^AZURE_)/i;

// The read-back check: what the child would really receive, judged independently of how it
// was built.
export function checkChildEnv(env: Readonly<Record<string, string>>, laneToken: string): string | null {
  for (const name of FORBIDDEN_CHILD_VARS) {
    if (name in env) return `the child environment carries ${name}`;
  }
  for (const [name, value] of Object.entries(env)) {
    if (name === CASE_API_KEY_ENV) {
      if (value !== laneToken) return `${CASE_API_KEY_ENV} is not the lane's dummy token`;
      continue;
    }
    if (CREDENTIAL_NAME.test(name)) return `the child environment carries ${name}`;
  }
  return null;
}
