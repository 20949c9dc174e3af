import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';
import { startScriptedProvider, type ScriptedProvider } from '../../src/scripted-provider/scripted-provider.js';
import { ModelScriptSchema } from '../../src/scripted-provider/model-script.js';
import { readdirSync, readFileSync } from 'node:fs';
import type { Report } from '../../src/report/report-schema.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'bin', 'case-route.mjs');
export const EXAMPLES = join(ROOT, 'examples');
export const MODEL = 'qwen3.6-35b-a3b';

export const SUM_BUG_SCRIPT = ModelScriptSchema.parse(
  JSON.parse(readFileSync(join(EXAMPLES, 'fixtures', 'sum-bug', 'model-script.json'), 'utf8')),
);

export function startProvider(model = MODEL): Promise<ScriptedProvider> {
  return startScriptedProvider({ model, script: SUM_BUG_SCRIPT });
}

// The scripted provider for a whole test file: started before its tests, closed after them. The
// returned object is filled in when the provider is up, so tests read it as they would the provider.
export function useProvider(model = MODEL): ScriptedProvider {
  const provider = {} as ScriptedProvider;
  beforeAll(async () => {
    Object.assign(provider, await startProvider(model));
  });
  afterAll(() => provider.close());
  return provider;
}

// A sandbox per test: its own TMPDIR (so the run's temp workspace lands where the test can see
// it), its own output directory, and the documented environment pointing at the examples.
export interface Sandbox {
  readonly dir: string;
  readonly tmp: string;
  readonly out: string;
  env(overrides?: Record<string, string | undefined>): Record<string, string>;
  cleanup(): Promise<void>;
}

export async function makeSandbox(baseUrl: string): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'case-route-test-'));
  const tmp = join(dir, 'tmp');
  const out = join(dir, 'out');
  await mkdir(tmp, { recursive: true });
  return {
    dir,
    tmp,
    out,
    env(overrides = {}) {
      const base: Record<string, string | undefined> = {
        PATH: process.env.PATH,
        TMPDIR: tmp,
        CTO_HARNESS_CASE_DECISION_FILE: join(EXAMPLES, 'decision.json'),
        CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: join(EXAMPLES, 'admission.json'),
        CTO_HARNESS_CASE_MODEL_PROVIDER: 'qwen-local',
        CTO_HARNESS_CASE_MODEL: MODEL,
        CTO_HARNESS_CASE_LOCAL_BASE_URL: baseUrl,
        ...overrides,
      };
      return Object.fromEntries(Object.entries(base).filter((entry): entry is [string, string] => entry[1] !== undefined));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: string[], env: Record<string, string>, cwd = ROOT): Promise<CliResult> {
  const result = await execa(process.execPath, [CLI, ...args], { env, extendEnv: false, cwd, reject: false, stdin: 'ignore', timeout: 120_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export function parseReport(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

// Every file below dir, as paths relative to it.
export async function listTree(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
  } catch {
    return [];
  }
}

export async function withSandbox<T>(baseUrl: string, body: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await makeSandbox(baseUrl);
  try {
    return await body(sandbox);
  } finally {
    await sandbox.cleanup();
  }
}

// A killed process whose parent is gone may linger as a zombie until init reaps it; a zombie
// runs nothing, so it counts as gone.
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

// The host's processes whose command line carries `marker`: what a lane left behind, seen from
// outside its PID namespace.
export function processesCarrying(marker: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) && isAlive(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

// A file a stand-in left beside its lane's workspace, in a run kept with --keep-workspace.
export async function keptLaneFile(tmp: string, lane: string, name: string): Promise<string> {
  const [workspace] = (await readdir(tmp)).filter((entry) => entry.startsWith('case-route-'));
  if (!workspace) throw new Error('no kept workspace');
  return readFileSync(join(tmp, workspace, 'lanes', lane, name), 'utf8');
}

export async function waitFor(condition: () => boolean, ms = 10_000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 50) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}
