import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report-schema.js';
import { parseReport, ROOT, runCli, useProvider, withSandbox, type Sandbox } from './support/cli.js';

// Attacks found by an adversarial review of the sealed lane (issue 10), each of which once made a
// misbehaving lane pass; each test asserts the safe behaviour.

const provider = useProvider();

async function runReal(sandbox: Sandbox, script: string, args: string[] = []) {
  const command = [process.execPath, join(ROOT, 'test', 'case-standins', script), ...args].join(' ');
  const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_COMMAND: command }));
  const report = parseReport(result.stdout);
  return { ...result, report, runDir: join(sandbox.out, report.run_id) };
}

function real(report: Report) {
  const lane = report.lanes.find((l) => l.lane === 'real');
  if (!lane) throw new Error('no real lane in the report');
  return lane;
}

describe('an adversarial lane', () => {
  it("cannot borrow the sandbox init's capabilities through its Node inspector to forge the audit and write outside", () =>
    withSandbox(provider.url, async (sandbox) => {
      const marker = join(sandbox.dir, 'lane-was-here');
      const { report, runDir } = await runReal(sandbox, 'inspector-escape-case.mjs', [Buffer.from(marker).toString('base64')]);
      const said = await readFile(join(runDir, 'lanes', 'real', 'stdout.log'), 'utf8');
      expect(said).not.toContain('audit forged');
      expect(existsSync(marker)).toBe(false);
      expect(real(report).requests_total).toBe(0);
      expect(report.status).not.toBe('pass');
    }));

  it("cannot pass an unfixed fixture by taking over the acceptance check's sandbox init", () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'inspector-acceptance-case.mjs');
      expect(real(report).acceptance.passed).toBe(false);
      expect(report.status).not.toBe('pass');
    }));

  it('cannot pass an unfixed fixture by printing the expected results and exiting on import', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'print-verdict-case.mjs');
      expect(real(report).acceptance.passed).toBe(false);
      expect(report.status).not.toBe('pass');
    }));

  // x86-64 only, and it needs a python3 to make the ptrace calls (any executable would do).
  it.skipIf(process.arch !== 'x64' || !['/usr/bin/python3', '/usr/local/bin/python3', '/bin/python3'].some((p) => existsSync(p)))(
    'cannot pass an unfixed fixture by ptracing the check that judges it',
    () =>
      withSandbox(provider.url, async (sandbox) => {
        const { report } = await runReal(sandbox, 'ptrace-judge-case.mjs');
        expect(real(report).acceptance.passed).toBe(false);
        expect(report.status).not.toBe('pass');
      }),
  );
});
