import { readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedProvider } from '../src/provider/scripted-provider.js';
import { EXAMPLES, listTree, makeSandbox, parseReport, runCli, startProvider, type Sandbox } from './support/cli.js';

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
    detail: /decision\.json: field "decision_status"/,
    env: async (s) => ({ CTO_HARNESS_CASE_DECISION_FILE: await writeJson(s, 'decision.json', { ...decision, decision_status: undefined }) }),
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
  ...['CTO_HARNESS_CASE_MODEL_ADMISSION_FILE', 'CTO_HARNESS_CASE_MODEL_PROVIDER', 'CTO_HARNESS_CASE_MODEL'].map((name) => ({
    name: `${name} missing`,
    reason: 'config_missing',
    detail: new RegExp(name),
    env: async () => ({ [name]: undefined }),
  })),
  {
    name: 'CTO_HARNESS_CASE_LOCAL_BASE_URL missing',
    reason: 'local_adapter_config_missing',
    detail: /CTO_HARNESS_CASE_LOCAL_BASE_URL/,
    env: async () => ({ CTO_HARNESS_CASE_LOCAL_BASE_URL: undefined }),
  },
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

  it('says which variable is missing without a stack trace', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['run', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_MODEL: '' }));
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain('config_missing: CTO_HARNESS_CASE_MODEL missing or empty');
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
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'ready', blocked_reason: null });
      expect(await listTree(sandbox.tmp)).toEqual([]);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('blocks with the reason code and exit 2', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['validate', '--json'], sandbox.env({ CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6' }));
      expect(result.exitCode).toBe(2);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'blocked', blocked_reason: 'admission_mismatch' });
    } finally {
      await sandbox.cleanup();
    }
  });
});

