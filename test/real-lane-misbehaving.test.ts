import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/report/report-schema.js';
import { CLI, keptLaneFile, listTree, MODEL, parseReport, processesCarrying, ROOT, runCli, useProvider, waitFor, withSandbox, type Sandbox } from './support/cli.js';
import { nanoid } from 'nanoid';

// The real lane, run with small scripts standing in for a Case that misbehaves in one way each.
// Every one must end in a non-pass, with the evidence that caught it in the report.

const provider = useProvider();


function caseCommand(script: string, ...args: string[]): string {
  return [process.execPath, join(ROOT, 'test', 'case-standins', script), ...args].join(' ');
}

async function runReal(sandbox: Sandbox, env: Record<string, string | undefined>, extra: string[] = []) {
  const result = await runCli(['run', '--lane', 'real', '--json', '--out', sandbox.out, ...extra], sandbox.env(env));
  return { ...result, report: parseReport(result.stdout) };
}

function lane(report: Report, name: 'real' | 'fake') {
  const found = report.lanes.find((l) => l.lane === name);
  if (!found) throw new Error(`no ${name} lane in the report`);
  return found;
}

function expectBaselinePassed(report: Report) {
  expect(report.baseline_comparison?.baseline_passed).toBe(true);
  expect(lane(report, 'fake').no_fallback.verdict).toBe(true);
}

describe('real lane with a misbehaving Case', () => {
  it('a Case whose config.json is missing falls back to anthropic and fails', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { exitCode, report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('missing-config-case.mjs') });
      expect(exitCode).toBe(1);
      expect(report.status).toBe('fail');
      const real = lane(report, 'real');
      expect(real.spawn_lines.map((s) => `${s.provider}/${s.model}`)).toContain('anthropic/claude-sonnet-4-6');
      expect(real.no_fallback.verdict).toBe(false);
      expect(report.fail_reasons.map((f) => f.reason)).toContain('fallback_detected');
      expectBaselinePassed(report);
    }));

  it('a Case whose config.json is deleted after start falls back for later agents and fails', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('config-deleted-after-start-case.mjs') });
      expect(report.status).toBe('fail');
      const spawns = lane(report, 'real').spawn_lines.map((s) => `${s.provider}/${s.model}`);
      expect(spawns[0]).toBe(`openai/${MODEL}`);
      expect(spawns).toContain('anthropic/claude-sonnet-4-6');
      expect(lane(report, 'real').no_fallback.failures.join(' ')).toContain('anthropic/claude-sonnet-4-6');
    }));

  it('an inherited CASE_MODEL_OVERRIDE blocks before any Case starts', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { exitCode, report } = await runReal(sandbox, {
        CASE_MODEL_OVERRIDE: 'claude-opus-4-1',
        CTO_HARNESS_CASE_COMMAND: caseCommand('env-recording-case.mjs'),
      }, ['--keep-workspace']);
      expect(exitCode).toBe(2);
      expect(report.blocked_reason).toBe('external_fallback_configured');
      expect(report.blocked_detail).toContain('CASE_MODEL_OVERRIDE');
      expect(report.case_process_started).toBe(false);
      await expect(keptLaneFile(sandbox.tmp, 'real', 'case-record.json')).rejects.toThrow();
    }));

  it("the child's environment comes from the allowlist, not from the parent", () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, {
        CTO_HARNESS_CASE_COMMAND: caseCommand('env-recording-case.mjs'),
        ANTHROPIC_API_KEY: 'parent-anthropic-key-value',
        OPENAI_API_KEY: 'parent-openai-key-value',
        AWS_SECRET_ACCESS_KEY: 'parent-aws-secret-value',
        CTO_HARNESS_CASE_LOCAL_API_KEY: 'upstream-key-value',
        CASE_QUIET: '1',
        SOME_UNRELATED_VARIABLE: 'x',
      }, ['--keep-workspace']);
      expect(report.status).toBe('pass');
      const { env } = JSON.parse(await keptLaneFile(sandbox.tmp, 'real', 'case-record.json')) as { env: Record<string, string> };
      for (const name of ['ANTHROPIC_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'CTO_HARNESS_CASE_LOCAL_API_KEY', 'CASE_QUIET', 'SOME_UNRELATED_VARIABLE', 'CTO_HARNESS_CASE_MODEL']) {
        expect(env).not.toHaveProperty(name);
      }
      expect(env.OPENAI_API_KEY).toMatch(/^case-route-lane-/);
      expect(JSON.stringify(env)).not.toMatch(/parent-|upstream-key-value/);
      expect(env.CASE_DATA_DIR && env.PI_CODING_AGENT_DIR && env.HOME).toBeTruthy();
      expect(env.HTTPS_PROXY).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }));

  it('a Case that asks the proxy for another model is refused and fails', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('other-model-case.mjs') });
      expect(report.status).toBe('fail');
      expect(lane(report, 'real').rejected_requests).toContainEqual(
        expect.objectContaining({ reason: 'model_not_admitted', model: 'claude-sonnet-4-6', status: 403 }),
      );
      expect(lane(report, 'real').requests_by_model).toHaveProperty('claude-sonnet-4-6', 1);
      expectBaselinePassed(report);
    }));

  it('a Case that reaches for an external host is stopped at the egress proxy and fails', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('direct-egress-case.mjs') });
      expect(report.status).toBe('fail');
      expect(lane(report, 'real').egress_attempts).toContainEqual({ host: 'api.anthropic.com', port: 443 });
      expect(report.fail_reasons.find((f) => f.reason === 'fallback_detected')?.detail).toContain('api.anthropic.com:443');
    }));

  it('an egress attempt made by the acceptance check, after the lane, is recorded and fails the run', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('egress-in-acceptance-case.mjs') });
      expect(report.status).toBe('fail');
      expect(lane(report, 'real').egress_attempts).toContainEqual({ host: 'api.anthropic.com', port: 443 });
      expect(report.fail_reasons.find((f) => f.reason === 'fallback_detected')?.detail).toContain('api.anthropic.com:443');
    }));

  it('a Case that never calls the model proves nothing and fails', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('silent-case.mjs') });
      const real = lane(report, 'real');
      expect(real.stage2.passed).toBe(true);
      expect(real.requests_total).toBe(0);
      expect(real.no_fallback.failures).toContain('no model request reached the recording proxy');
      expect(report.status).toBe('fail');
    }));

  it('a real lane without a Case command blocks: a missing variable, like any other', () =>
    withSandbox(provider.url, async (sandbox) => {
      const { exitCode, report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: undefined });
      expect(exitCode).toBe(2);
      expect(report.blocked_reason).toBe('config_missing');
      expect(report.blocked_detail).toBe('CTO_HARNESS_CASE_COMMAND missing or empty');
    }));
});

describe('real lane against a misbehaving upstream', () => {
  it('an upstream that stops serving the admitted model during the run fails the run', async () => {
    let served = MODEL;
    const upstream: Server = createServer(async (req, res) => {
      if (req.url === '/v1/models' || req.url === '/health') {
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/health' ? '{"status":"ok"}' : JSON.stringify({ object: 'list', data: [{ id: served, object: 'model' }] }));
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const answer = await fetch(`${provider.url}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      for await (const chunk of answer.body!) res.write(chunk);
      res.end();
      served = 'qwen3.6-35b-a3b-q2-swapped';
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    try {
      await withSandbox(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, async (sandbox) => {
        const { report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('well-behaved-case.mjs') });
        expect(report.status).toBe('fail');
        expect(report.fail_reasons.find((f) => f.reason === 'model_changed')?.detail).toContain('qwen3.6-35b-a3b-q2-swapped');
        expect(lane(report, 'real').served_after.still_served).toBe(false);
        expect(lane(report, 'fake').served_after.still_served).toBe(true);
      });
    } finally {
      upstream.closeAllConnections();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});

describe('supervision', () => {
  it('kills the whole process tree on timeout and still writes the report', () =>
    withSandbox(provider.url, async (sandbox) => {
      const marker = `case-route-hang-${nanoid(10)}`;
      const { exitCode, report } = await runReal(sandbox, { CTO_HARNESS_CASE_COMMAND: caseCommand('hanging-case.mjs', marker) }, ['--timeout', '2']);
      expect(exitCode).toBe(1);
      expect(report.fail_reasons.map((f) => f.reason)).toContain('case_timeout');
      expect(lane(report, 'real').timed_out).toBe(true);
      expect(processesCarrying(marker)).toEqual([]);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    }));

  it.each(['SIGINT', 'SIGTERM'] as const)('on %s mid-run: children gone, report aborted, exit 130', (signal) =>
    withSandbox(provider.url, async (sandbox) => {
      const marker = `case-route-hang-${nanoid(10)}`;
      const child = execa(process.execPath, [CLI, 'run', '--lane', 'real', '--json', '--out', sandbox.out], {
        env: sandbox.env({ CTO_HARNESS_CASE_COMMAND: caseCommand('hanging-case.mjs', marker) }),
        extendEnv: false,
        reject: false,
        cwd: ROOT,
      });
      expect(await waitFor(() => processesCarrying(`${marker}-grandchild`).length > 0)).toBe(true);
      child.kill(signal);
      const result = await child;
      expect(result.exitCode).toBe(130);
      const report = parseReport(String(result.stdout));
      expect(report.status).toBe('aborted');
      expect(report.case_process_started).toBe(true);
      expect(processesCarrying(marker)).toEqual([]);
      expect(await listTree(sandbox.tmp)).toEqual([]);
    }));
});
