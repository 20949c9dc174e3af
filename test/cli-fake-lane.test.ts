import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, listTree, makeSandbox, MODEL, parseReport, ROOT, runCli, useProvider } from './support/cli.js';

const provider = useProvider();

describe('case-route run on the fake lane', () => {
  it('runs the whole route and passes on evidence', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
      expect(result.stderr).toContain('state report_emitted');
      expect(result.exitCode).toBe(0);
      const report = parseReport(result.stdout);
      const admission = JSON.parse(await readFile(join(EXAMPLES, 'admission.json'), 'utf8'));
      expect(report).toMatchObject({
        status: 'pass',
        final_state: 'report_emitted',
        case_process_started: true,
        case_model_provider: admission.provider,
        case_model: admission.model,
        case_model_admission_status: admission.admission_status,
        case_provider_key: 'openai',
      });
      expect(report.states_visited.map((v) => v.state)).toEqual([
        'loading_decision', 'decision_loaded', 'config_checked', 'admission_matched', 'provider_verified',
        'case_process_started', 'stage2_complete', 'report_emitted',
      ]);
      const [lane] = report.lanes;
      expect(lane?.requests_total).toBeGreaterThan(0);
      expect(Object.keys(lane?.requests_by_model ?? {})).toEqual([MODEL]);
      expect(lane?.spawn_lines.map((s) => `${s.provider}/${s.model}`)).toEqual(Array(4).fill(`openai/${MODEL}`));
      expect(lane).toMatchObject({ pipeline_outcome: 'completed', exit_code: 0, pull_requests: 1, acceptance: { passed: true } });
      expect(report.no_fallback.verdict).toBe(true);
      // The temp workspace is gone, and the report on disk is the one printed, which also says where it is.
      expect(await listTree(sandbox.tmp)).toEqual([]);
      const { report_file: reportFile, ...printed } = JSON.parse(result.stdout) as { report_file: string };
      expect(JSON.parse(await readFile(join(ROOT, reportFile), 'utf8'))).toEqual(printed);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('fails, not passes, when the model never fixes the fixture', async () => {
    const { startScriptedProvider } = await import('../src/scripted-provider/scripted-provider.js');
    const lazy = await startScriptedProvider({ model: MODEL, script: { roles: {} } });
    const sandbox = await makeSandbox(lazy.url);
    try {
      const result = await runCli(['run', '--json', '--out', sandbox.out], sandbox.env());
      expect(result.exitCode).toBe(1);
      const report = parseReport(result.stdout);
      expect(report.status).toBe('fail');
      expect(report.fail_reasons.map((f) => f.reason)).toEqual(expect.arrayContaining(['pipeline_not_completed', 'acceptance_failed']));
    } finally {
      await sandbox.cleanup();
      await lazy.close();
    }
  });
});
