import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedProvider } from '../src/scripted-provider/scripted-provider.js';
import { makeSandbox, MODEL, parseReport, runCli, startProvider } from './support/cli.js';

// Real WorkOS Case through the adapter and the recording proxy, against the scripted provider.
// Case is not published on npm and is never vendored here, so this runs only where the person
// running the tests points CTO_HARNESS_CASE_COMMAND at their own Case (see the README).
const caseCommand = process.env.CTO_HARNESS_CASE_COMMAND;
const why = 'skipped: CTO_HARNESS_CASE_COMMAND is not set (point it at a Case checkout or `ca` binary to run real Case)';
// The default reporter folds a file whose tests all skipped into one line without their titles;
// what it does print is a test file's console output, so that is where the reason goes.
if (!caseCommand) console.warn(`real WorkOS Case: ${why}`);

let provider: ScriptedProvider;
beforeAll(async () => {
  if (caseCommand) provider = await startProvider();
});
afterAll(async () => {
  await provider?.close();
});

describe(caseCommand ? 'real WorkOS Case' : `real WorkOS Case (${why})`, () => {
  it.skipIf(!caseCommand)('runs end to end on the real lane and passes with no fallback, beside the fake baseline', async () => {
    const sandbox = await makeSandbox(provider.url);
    try {
      const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out, '--timeout', '300'], sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand }));
      const report = parseReport(result.stdout);
      expect(report.status, JSON.stringify(report.fail_reasons)).toBe('pass');
      const real = report.lanes.find((l) => l.lane === 'real')!;
      expect(real.requests_total).toBeGreaterThan(0);
      expect(Object.keys(real.requests_by_model)).toEqual([MODEL]);
      expect(new Set(real.spawn_lines.map((s) => `${s.provider}/${s.model}`))).toEqual(new Set([`openai/${MODEL}`]));
      expect(real.pipeline_outcome).toBe('completed');
      expect(report.no_fallback.verdict).toBe(true);
      expect(report.baseline_comparison?.baseline_passed).toBe(true);
      // Real Case, but its model's answers came from the scripted provider: the route is validated
      // with real Case, and the claim says it is not the evidence CTO-WORK-020 waits for.
      expect(report.claim).toMatchObject({ stage2_evidence: 'route_validation', work_item: { work_id: 'CTO-WORK-020', real_pass_evidence: false } });
      expect(report.claim.not_evidence_because.map((r) => r.reason)).toContain('replay');
      expect(report.claim.statement).toMatch(/^route validated on the real lane against a scripted model/);
      expect(report.claim.case_command?.[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await sandbox.cleanup();
    }
  }, 360_000);
});
