import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ReportSchema } from '../src/report/report-schema.js';
import { EXAMPLES, listTree, ROOT, runCli, useProvider, withSandbox, type Sandbox } from './support/cli.js';

const provider = useProvider();

// The examples import 'case-local-route' by name, as a harness would: they run against the build.
function runExample(name: string, args: string[], sandbox: Sandbox, env: Record<string, string | undefined> = {}) {
  return execa(process.execPath, [join(EXAMPLES, name), ...args], { env: sandbox.env(env), extendEnv: false, cwd: ROOT, reject: false, stdin: 'ignore', timeout: 60_000 });
}

describe('the programmatic API, through the examples a harness author starts from', () => {
  it('follow-transitions.mjs drives the machine and prints each transition with its event', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runExample('follow-transitions.mjs', [sandbox.out], sandbox);
      expect(result.exitCode).toBe(0);
      const lines = String(result.stdout).trim().split('\n');
      expect(lines[0]).toBe('start in loading_decision');
      expect(lines).toContain('provider_verified -> case_process_started  on xstate.done.actor.prepareLanes');
      expect(lines).toContain('stage2_complete -> report_emitted  on xstate.done.actor.emitReport');
      expect(lines.at(-1)).toMatch(/^pass: run \S+, no_fallback true: route validated on the fake lane — not Stage 2 evidence; CTO-WORK-020 stays blocked$/);
      expect((await listTree(sandbox.out)).filter((f) => f.endsWith('report.json'))).toHaveLength(1);
    }));

  it('follow-transitions.mjs reports a blocked run with its gate and exits 2', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runExample('follow-transitions.mjs', [sandbox.out], sandbox, { CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://10.0.0.8:8080/v1' });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toContain('decision_loaded -> blocked  on xstate.done.actor.readConfig');
      expect(result.stdout).toContain('blocked by localAdapterIsLoopback: local_adapter_not_loopback');
    }));

  it('gates-precheck.mjs runs every pre-start gate, never starts Case, and blocks with a reason code', () =>
    withSandbox(provider.url, async (sandbox) => {
      const ready = await runExample('gates-precheck.mjs', [], sandbox);
      expect(ready.exitCode).toBe(0);
      expect(ready.stdout).toMatch(/^ready: all 19 pre-start gates passed \(loading_decision -> .* -> provider_verified -> validated\)$/);
      expect(await listTree(sandbox.tmp)).toEqual([]);
      const blocked = await runExample('gates-precheck.mjs', [], sandbox, { CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6' });
      expect(blocked.exitCode).toBe(2);
      expect(blocked.stdout).toContain('blocked by admissionMatchesEnv: admission_mismatch');
      expect(await listTree(sandbox.out)).toEqual([]);
    }));

  it('runRoute resolves with a valid report; bad options reject with a typed error before anything runs', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { runRoute, RouteOptionsError } = await import('../src/index.js');
      const report = await runRoute({ env: sandbox.env(), outDir: sandbox.out, cwd: sandbox.dir });
      expect(ReportSchema.parse(report).status).toBe('pass');
      await expect(runRoute({ lane: 'remote' as 'fake', outDir: sandbox.out })).rejects.toBeInstanceOf(RouteOptionsError);
      await expect(runRoute({ timeoutMs: -1, outDir: sandbox.out })).rejects.toThrow(/^option timeoutMs: /);
      await expect(runRoute({ timeoutMs: -1, lane: 'remote' as 'fake', outDir: sandbox.out })).rejects.toThrow(/^option lane: .*; option timeoutMs: /);
      expect((await listTree(sandbox.out)).filter((f) => f.endsWith('report.json'))).toHaveLength(1);
    }));

  it('validateRoute() and `case-route validate --json` give one answer in one shape, the blocking gate included', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { validateRoute } = await import('../src/index.js');
      for (const overrides of [{}, { CTO_HARNESS_CASE_MODEL: 'claude-sonnet-4-6' }, { CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://10.0.0.8:8080/v1' }]) {
        const env = sandbox.env(overrides);
        const api = await validateRoute({ env, cwd: ROOT });
        const cli = await runCli(['validate', '--json'], env);
        expect(JSON.parse(cli.stdout)).toEqual(api);
      }
      const blocked = await validateRoute({ env: sandbox.env({ CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://10.0.0.8:8080/v1' }), cwd: ROOT });
      expect(blocked.blocked).toMatchObject({ gate: 'localAdapterIsLoopback', reason: 'local_adapter_not_loopback' });
    }));

  it('`run --json` prints the report together with the path of the report.json it wrote', () =>
    withSandbox(provider.url, async (sandbox) => {
      const result = await runCli(['run', '--json', '--out', 'runs'], sandbox.env(), sandbox.dir);
      expect(result.exitCode).toBe(0);
      const printed = JSON.parse(result.stdout) as { report_file: string; run_id: string };
      expect(printed.report_file).toBe(join('runs', printed.run_id, 'report.json'));
      const { report_file: _path, ...report } = printed;
      expect(JSON.parse(await readFile(join(sandbox.dir, printed.report_file), 'utf8'))).toEqual(report);
    }));
});
