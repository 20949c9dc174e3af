import { readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedProvider } from '../src/scripted-provider/scripted-provider.js';
import { EXAMPLES, listTree, makeSandbox, parseReport, ROOT, runCli, startProvider, type Sandbox } from './support/cli.js';

const decision = JSON.parse(readFileSync(join(EXAMPLES, 'decision.json'), 'utf8'));
const admission = JSON.parse(readFileSync(join(EXAMPLES, 'admission.json'), 'utf8'));

let provider: ScriptedProvider;
let otherModel: ScriptedProvider;

beforeAll(async () => {
  provider = await startProvider();
  otherModel = await startProvider('some-other-model');
});
afterAll(async () => {
  await provider.close();
  await otherModel.close();
});

async function writeJson(sandbox: Sandbox, name: string, value: unknown): Promise<string> {
  const file = join(sandbox.dir, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

interface Case {
  readonly name: string;
  readonly reason: string;
  readonly detail?: RegExp;
  readonly env: (sandbox: Sandbox) => Promise<Record<string, string | undefined>>;
}

const CASES: Case[] = [
  {
    name: 'a decision record that fails its schema',
    reason: 'decision_invalid',
    detail: /^decision\.json: missing field "decision_status"$/,
    env: async (s) => ({ CTO_HARNESS_CASE_DECISION_FILE: await writeJson(s, 'decision.json', { ...decision, decision_status: undefined }) }),
  },
  {
    name: 'a decision record with several problems, all named at once',
    reason: 'decision_invalid',
    detail: /^decision\.json: missing fields "provider", "decided_at"; field "work_id": .*expected string, received number; field "model": .*>=1 characters$/,
    env: async (s) => ({ CTO_HARNESS_CASE_DECISION_FILE: await writeJson(s, 'decision.json', { ...decision, work_id: 20, model: '', provider: undefined, decided_at: undefined }) }),
  },
  {
    name: 'an admission file that is not JSON, with where',
    reason: 'admission_invalid',
    detail: /^admission\.json: not valid JSON at line 3, column 3: comma expected$/,
    env: async (s) => {
      const file = join(s.dir, 'admission.json');
      await writeFile(file, '{\n  "work_id": "CTO-WORK-020"\n  "provider": "qwen-local"\n}\n');
      return { CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: file };
    },
  },
  {
    name: 'a decision status other than local_provider_required',
    reason: 'decision_status_not_local_provider_required',
    env: async (s) => ({ CTO_HARNESS_CASE_DECISION_FILE: await writeJson(s, 'decision.json', { ...decision, decision_status: 'external_provider_allowed' }) }),
  },
  {
    name: 'a provider class other than local_case_compatible',
    reason: 'provider_class_mismatch',
    env: async (s) => ({ CTO_HARNESS_CASE_DECISION_FILE: await writeJson(s, 'decision.json', { ...decision, provider_class: 'hosted_api' }) }),
  },
  // A missing variable is config_missing whichever it is.
  ...['CTO_HARNESS_CASE_DECISION_FILE', 'CTO_HARNESS_CASE_MODEL_ADMISSION_FILE', 'CTO_HARNESS_CASE_MODEL_PROVIDER', 'CTO_HARNESS_CASE_MODEL', 'CTO_HARNESS_CASE_LOCAL_BASE_URL'].map((name) => ({
    name: `${name} missing`,
    reason: 'config_missing',
    detail: new RegExp(`^${name} missing or empty$`),
    env: async () => ({ [name]: undefined }),
  })),
  {
    name: 'a base URL that is not http(s)',
    reason: 'local_adapter_config_missing',
    detail: /^CTO_HARNESS_CASE_LOCAL_BASE_URL must be http or https, not ftp:$/,
    env: async () => ({ CTO_HARNESS_CASE_LOCAL_BASE_URL: 'ftp://127.0.0.1:8080/v1' }),
  },
  ...['http://admin:hunter2@127.0.0.1:8080/v1', 'admin:hunter2@127.0.0.1:8080'].map((url) => ({
    name: `a base URL carrying credentials (${url.split('@')[0]}@...)`,
    reason: 'local_adapter_config_missing',
    detail: /^CTO_HARNESS_CASE_LOCAL_BASE_URL must not carry credentials \(user:password@\): give the key in CTO_HARNESS_CASE_LOCAL_API_KEY$/,
    env: async () => ({ CTO_HARNESS_CASE_LOCAL_BASE_URL: url }),
  })),
  {
    name: 'a base URL that is not loopback',
    reason: 'local_adapter_not_loopback',
    env: async () => ({ CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://192.168.1.20:8080/v1' }),
  },
  {
    name: 'an admission provider that differs from the environment',
    reason: 'admission_mismatch',
    env: async (s) => ({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await writeJson(s, 'admission.json', { ...admission, provider: 'other-local' }) }),
  },
  {
    name: 'an admission model that differs from the environment',
    reason: 'admission_mismatch',
    env: async (s) => ({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await writeJson(s, 'admission.json', { ...admission, model: 'qwen3.6-7b' }) }),
  },
  {
    name: 'an admission that is not admitted',
    reason: 'admission_not_admitted',
    env: async (s) => ({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await writeJson(s, 'admission.json', { ...admission, admission_status: 'pending' }) }),
  },
  {
    name: 'an admission that names a fallback',
    reason: 'external_fallback_configured',
    env: async (s) => ({ CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: await writeJson(s, 'admission.json', { ...admission, fallback_model: 'claude-sonnet-4-6' }) }),
  },
  {
    name: 'a provider that does not answer',
    reason: 'provider_unreachable',
    env: async () => ({ CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://127.0.0.1:9/v1' }),
  },
  {
    name: 'a provider that does not serve the admitted model',
    reason: 'model_not_served',
    detail: /some-other-model/,
    env: async () => ({ CTO_HARNESS_CASE_LOCAL_BASE_URL: otherModel.url }),
  },
];

describe('case-route run blocks before Case starts', () => {
  it.each(CASES)('$name → $reason', async (testCase) => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const env = sandbox.env(await testCase.env(sandbox));
      const result = await runCli(['run', '--json', '--keep-workspace', '--out', sandbox.out], env);
      expect(result.exitCode).toBe(2);
      const report = parseReport(result.stdout);
      expect(report.status).toBe('blocked');
      expect(report.blocked_reason).toBe(testCase.reason);
      if (testCase.detail) expect(report.blocked_detail).toMatch(testCase.detail);
      expect(report.case_process_started).toBe(false);
      expect(report.states_visited.map((v) => v.state)).not.toContain('case_process_started');
      expect(report.gates.filter((g) => g.outcome === 'blocked')).toHaveLength(1);
      expect(result.stderr).toContain(`case-route: reason: ${testCase.reason}`);
      // The report is on disk as well as on stdout.
      const written = (await listTree(sandbox.out)).filter((f) => f.endsWith('report.json'));
      expect(written).toHaveLength(1);
      // The workspace was kept on purpose: no Case (fake or real) ever started in it.
      const kept = await listTree(sandbox.tmp);
      expect(kept.filter((f) => f.endsWith('fake-case.started') || /events\/run-.*\.jsonl$/.test(f))).toEqual([]);
      // Blocked before lanes are prepared, a run writes nothing outside its report directory.
      if (!report.states_visited.some((v) => v.state === 'provider_verified')) expect(await readdir(sandbox.tmp)).toEqual([]);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('names every missing variable at once, without a stack trace', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['run', '--lane', 'real', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_MODEL: '', CTO_HARNESS_CASE_LOCAL_BASE_URL: undefined }));
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('config_missing: CTO_HARNESS_CASE_MODEL, CTO_HARNESS_CASE_LOCAL_BASE_URL, CTO_HARNESS_CASE_COMMAND missing or empty');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await sandbox.cleanup();
    }
  });
});

describe('case-route validate', () => {
  it('passes every pre-start gate without starting Case', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['validate', '--json'], sandbox.env());
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        status: 'ready',
        blocked: null,
        states_visited: ['loading_decision', 'decision_loaded', 'config_checked', 'admission_matched', 'provider_verified', 'validated'],
      });
      expect(await listTree(sandbox.tmp)).toEqual([]);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('blocks with the gate, the reason code and exit 2', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['validate', '--json'], sandbox.env({ CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6' }));
      expect(result.exitCode).toBe(2);
      expect(JSON.parse(result.stdout)).toEqual({
        status: 'blocked',
        blocked: { gate: 'admissionMatchesEnv', reason: 'admission_mismatch', detail: expect.stringContaining('claude-sonnet-4-6') },
        states_visited: ['loading_decision', 'decision_loaded', 'config_checked', 'blocked'],
      });
    } finally {
      await sandbox.cleanup();
    }
  });

  it('checks every path in the Case command: a script that does not exist blocks, a relative one is found from the current directory', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const missing = await runCli(['validate', '--lane', 'real', '--json'], sandbox.env({ CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(sandbox.dir, 'case', 'src', 'index.ts')}` }));
      expect(missing.exitCode).toBe(2);
      expect(JSON.parse(missing.stdout).blocked).toEqual({
        gate: 'caseCommandIsExecutable',
        reason: 'case_command_missing',
        detail: 'CTO_HARNESS_CASE_COMMAND: "index.ts" does not exist or cannot be read',
      });
      const relative = await runCli(['validate', '--lane', 'real', '--json'], sandbox.env({ CTO_HARNESS_CASE_COMMAND: `${process.execPath} test/case-standins/well-behaved-case.mjs --verbose` }), ROOT);
      expect(relative.exitCode).toBe(0);
      expect(JSON.parse(relative.stdout).status).toBe('ready');
    } finally {
      await sandbox.cleanup();
    }
  });
});
