import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTree, parseReport, ROOT, runCli, useProvider, withSandbox } from './support/cli.js';

// Attacks found by an adversarial review of the report's new sections (issue 13): lane-written
// names that the report shortens before the run's redactor sees them.

const provider = useProvider();

// Longer than the 40 characters a phase name is cut to: the cut keeps most of the secret, and
// what is left no longer matches the secret's value.
const SECRET = 'CANARY-local-upstream-key-000005-0123456789abcdef';

describe('a lane that names a phase after a secret it was handed', () => {
  it('leaves no piece of it in any artifact', () =>
    withSandbox(provider.url, async (sandbox) => {
      const command = [process.execPath, join(ROOT, 'test', 'case-standins', 'secret-phase-case.mjs'), SECRET].join(' ');
      const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_LOCAL_API_KEY: SECRET, CTO_HARNESS_CASE_COMMAND: command }));
      const report = parseReport(result.stdout);
      expect(report.case_process_started, result.stderr).toBe(true);
      const runDir = join(sandbox.out, report.run_id);
      for (const file of await listTree(runDir)) {
        const text = await readFile(join(runDir, file), 'utf8');
        expect.soft(text.includes(SECRET.slice(0, 33)), `a piece of the secret in ${file}`).toBe(false);
      }
    }), 180_000);
});

describe('a lane that crashes with a long error line holding a secret it was handed', () => {
  it('leaves no piece of it in the first error, or any artifact', () =>
    withSandbox(provider.url, async (sandbox) => {
      const command = [process.execPath, join(ROOT, 'test', 'case-standins', 'long-error-secret-case.mjs'), SECRET].join(' ');
      const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_LOCAL_API_KEY: SECRET, CTO_HARNESS_CASE_COMMAND: command }));
      const report = parseReport(result.stdout);
      expect(report.lanes.find((lane) => lane.lane === 'real')?.first_error?.message, result.stderr).toContain('request failed');
      expect(result.stdout.includes(SECRET.slice(0, 19)), 'a piece of the secret in the CLI output').toBe(false);
      const runDir = join(sandbox.out, report.run_id);
      for (const file of await listTree(runDir)) {
        const text = await readFile(join(runDir, file), 'utf8');
        expect.soft(text.includes(SECRET.slice(0, 19)), `a piece of the secret in ${file}`).toBe(false);
      }
    }), 180_000);
});
