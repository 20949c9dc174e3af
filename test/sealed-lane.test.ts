import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { execa } from 'execa';
import { join } from 'node:path';
import { nanoid } from 'nanoid';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report-schema.js';
import { CLI, listTree, parseReport, processesCarrying, ROOT, runCli, useProvider, withSandbox, type Sandbox } from './support/cli.js';

// Hostile Case stand-ins (test/case-standins/), one per class of attack on the evidence. Each run must end
// not passing, or pass because the attack provably did nothing, with no process left and no
// secret in any artifact. The lanes run isolated (the default, --isolation required).

const provider = useProvider();

function caseCommand(script: string, ...args: string[]): string {
  return [process.execPath, join(ROOT, 'test', 'case-standins', script), ...args].join(' ');
}

async function runReal(sandbox: Sandbox, script: string, args: string[] = [], extra: string[] = [], env: Record<string, string> = {}) {
  const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out, ...extra], sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand(script, ...args), ...env }));
  const report = parseReport(result.stdout);
  const runDir = join(sandbox.out, report.run_id);
  return { ...result, report, runDir };
}

function real(report: Report) {
  const lane = report.lanes.find((l) => l.lane === 'real');
  if (!lane) throw new Error('no real lane in the report');
  return lane;
}

const reasons = (report: Report) => report.fail_reasons.map((f) => f.reason);

async function artifacts(runDir: string): Promise<string> {
  const files = await listTree(runDir);
  return (await Promise.all(files.map((f) => readFile(join(runDir, f), 'utf8')))).join('\n');
}

describe('a sealed lane', () => {
  it('the well-behaved stand-in passes, each lane in its own namespaces', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { exitCode, report } = await runReal(sandbox, 'well-behaved-case.mjs');
      expect(report.status).toBe('pass');
      expect(exitCode).toBe(0);
      expect(report.lanes.map((l) => l.isolation.mode)).toEqual(['namespaces', 'namespaces']);
    }));

  it("sees its workspace and what it needs: the checkout read-only, the run directory and the harness's home not at all, no host process", () =>
    withSandbox(provider.url, async (sandbox) => {
      const home = join(sandbox.dir, 'home');
      await mkdir(join(home, '.ssh'), { recursive: true });
      // A PATH naming the temp directory and the root would show everything, were it taken as is.
      const path = ['/', sandbox.tmp, home, process.env.PATH].join(':');
      const { report, runDir } = await runReal(sandbox, 'view-probe-case.mjs', [Buffer.from(JSON.stringify([sandbox.out, home])).toString('base64')], [], { HOME: home, PATH: path });
      const seen = await readFile(join(runDir, 'lanes', 'real', 'stdout.log'), 'utf8');
      expect(seen).toContain('view: write the checkout: no (EROFS)');
      expect(seen).toMatch(/view: list the run directories: no \((ENOENT|EMPTY)\)/);
      expect(seen).toMatch(/view: list the harness's home: no \((ENOENT|EMPTY)\)/);
      expect(seen).toContain("view: list the harness's evidence: no (ENOENT)");
      expect(Number(/view: processes (\d+)/.exec(seen)?.[1])).toBeLessThan(10);
      expect(report.status).toBe('pass');
    }));

  it('forged or erased evidence does not change what the harness recorded', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report, runDir } = await runReal(sandbox, 'forge-evidence-case.mjs');
      expect(report.status).toBe('fail');
      expect(real(report).requests_total).toBe(0);
      expect(real(report).no_fallback.verdict).toBe(false);
      expect(reasons(report)).toContain('no_model_traffic');
      expect(reasons(report)).not.toContain('fallback_detected');
      expect(await readFile(join(runDir, 'lanes', 'real', 'proxy-audit.jsonl'), 'utf8')).toBe('');
      expect(await readFile(join(runDir, 'lanes', 'real', 'stdout.log'), 'utf8')).toContain('forge: wrote into 0 evidence folder(s) outside the lane');
      expect(report.baseline_comparison?.baseline_passed).toBe(true);
    }));

  it('a rewritten acceptance check cannot pass an unfixed fixture', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'rewrite-check-case.mjs');
      expect(report.status).toBe('fail');
      expect(real(report).acceptance).toMatchObject({ ran: true, passed: false });
      expect(reasons(report)).toContain('acceptance_failed');
      expect(real(report).no_fallback.verdict).toBe(true);
    }));

  it('a node and a git planted on the lane PATH are never run by the harness', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'shadow-tools-case.mjs');
      expect(report.status).toBe('fail');
      expect(reasons(report)).toEqual(['acceptance_failed']);
      expect(real(report).evidence_problems).toEqual([]);
    }));

  it.each([['required'], ['off']])('git config and attributes that run code are inert when the harness reads the history (--isolation %s)', (isolation) =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'git-config-case.mjs', [], ['--isolation', isolation]);
      expect(real(report).evidence_problems).toEqual([]);
      expect(report.status).toBe('pass');
    }));

  it('a detached child, a double fork and a setsid child do not outlive the run', () =>
    withSandbox(provider.url, async (sandbox) => {
      const marker = `case-route-daemon-${nanoid(10)}`;
      const { report } = await runReal(sandbox, 'daemon-case.mjs', [marker]);
      expect(report.status).toBe('pass');
      expect(processesCarrying(marker)).toEqual([]);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    }));

  it("the harness's environment cannot be read through /proc, and nothing leaks encoded", () =>
    withSandbox(provider.url, async (sandbox) => {
      const canary = `sk-ant-api03-${'Q'.repeat(24)}canary`;
      const { report, runDir } = await runReal(sandbox, 'env-thief-case.mjs', [], [], { ANTHROPIC_API_KEY: canary, CTO_HARNESS_CASE_LOCAL_API_KEY: canary });
      const written = await artifacts(runDir);
      expect(written).toContain('env-thief: found 0 secret value(s)');
      for (const form of [canary, Buffer.from(canary).toString('base64'), Buffer.from(canary).toString('hex'), canary.slice(0, canary.length / 2)]) {
        expect(written).not.toContain(form);
      }
      expect(report.status).toBe('pass');
    }));

  it("another loopback port, a raw datagram and Node's fetch reach nothing", () =>
    withSandbox(provider.url, async (sandbox) => {
      const port = new URL(provider.url).port;
      const { report, runDir } = await runReal(sandbox, 'escape-case.mjs', [port]);
      expect(await readFile(join(runDir, 'lanes', 'real', 'stdout.log'), 'utf8')).toContain('escape: reached nothing');
      expect(report.status).toBe('pass');
    }));

  it('a spawn line after output past the cap fails the run as truncated evidence', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'huge-output-case.mjs');
      expect(report.status).toBe('fail');
      expect(reasons(report)).toContain('evidence_truncated');
      expect(real(report).no_fallback.verdict).toBe(false);
    }));

  it.each([['text'], ['duplicate']])('a spawn line in another shape (%s) fails the run as unparseable', (shape) =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'spawn-lines-case.mjs', [shape]);
      expect(report.status).toBe('fail');
      expect(reasons(report)).toContain('evidence_unparseable');
    }));

  it.each([
    ['fifo', 'evidence_unparseable'],
    ['symlink', 'evidence_unparseable'],
    ['huge', 'evidence_truncated'],
  ])('an event log turned into a %s fails the run without stalling it', (kind, reason) =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, 'event-files-case.mjs', [kind]);
      expect(report.status).toBe('fail');
      expect(reasons(report)).toContain(reason);
    }));
});

describe('a run directory inside the checkout (the default --out)', () => {
  it('the lane still sees the checkout it needs, and the run passes', () =>
    withSandbox(provider.url, async (sandbox) => {
      const out = join('case-route-runs', `test-${nanoid(8)}`);
      try {
        const result = await runCli(['run', '--json', '--out', out], sandbox.env());
        expect(parseReport(result.stdout).status).toBe('pass');
      } finally {
        await rm(join(ROOT, out), { recursive: true, force: true });
      }
    }));
});

describe('--isolation off', () => {
  it('runs, and says that egress and tampering were observed, not prevented', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report, stderr } = await runReal(sandbox, 'well-behaved-case.mjs', [], ['--isolation', 'off']);
      expect(report.status).toBe('pass');
      expect(report.lanes.map((l) => l.isolation.mode)).toEqual(['off', 'off']);
      expect(stderr).toContain('egress and tampering were observed, not prevented');
    }));
});

// CI runs as root; a user's harness usually does not. The same run as an unprivileged user, where
// the kernel lets such a user make namespaces and this checkout is readable by others.
const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
const unprivileged = (() => {
  if (process.getuid?.() !== 0) return 'needs root to switch to an unprivileged user';
  const probe = spawnSync(asNobody[0]!, [...asNobody.slice(1), 'unshare', '--user', '--map-root-user', '--net', '--mount', '--pid', '--fork', process.execPath, '-e', `require('fs').accessSync(${JSON.stringify(CLI)})`], { stdio: 'ignore' });
  return probe.status === 0 ? null : 'an unprivileged user cannot make namespaces here or read this checkout';
})();

describe('as an unprivileged user', () => {
  it.skipIf(unprivileged !== null)(`the real lane runs isolated and passes${unprivileged ? ` (skipped: ${unprivileged})` : ''}`, () =>
    withSandbox(provider.url, async (sandbox) => {
      await chmod(sandbox.dir, 0o755);
      await chmod(sandbox.tmp, 0o777);
      await mkdir(sandbox.out, { mode: 0o777 });
      await chmod(sandbox.out, 0o777);
      const env = sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand('well-behaved-case.mjs') });
      const result = await execa(asNobody[0]!, [...asNobody.slice(1), process.execPath, CLI, 'run', '--lane', 'real', '--json', '--out', sandbox.out], { env, extendEnv: false, reject: false, cwd: sandbox.dir });
      const report = parseReport(String(result.stdout));
      expect(report.lanes.map((l) => l.isolation.mode)).toEqual(['namespaces', 'namespaces']);
      expect(report.fail_reasons).toEqual([]);
      expect(report.status).toBe('pass');
    }));
});
