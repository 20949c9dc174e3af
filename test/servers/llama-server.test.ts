import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelIsServed } from '../../src/gates/preflight-gates.js';
import { observeProvider } from '../../src/local-server/preflight.js';
import { startRecordingProxy } from '../../src/proxy/recording-proxy.js';
import { readAudit } from '../../src/evidence/proxy-audit.js';
import type { Report } from '../../src/report/report-schema.js';
import { CLI, makeSandbox, MODEL, parseReport, ROOT, runCli, type Sandbox } from '../support/cli.js';
import { prepareLlamaServer, startLlamaServer, type LlamaServer } from './llama-server.mjs';

// `npm run test:servers`: the route against a real llama.cpp llama-server (a CPU build, a tiny
// random model served under the admitted alias). The model answers gibberish, so Stage 2 fails;
// what is checked is that the evidence says exactly what happened, and that nothing honest is
// called a fallback.

const prepared = prepareLlamaServer();
const work = mkdtempSync(join(tmpdir(), 'case-route-servers-'));
const caseCommand = process.env.CTO_HARNESS_CASE_COMMAND;
const standIn = [process.execPath, join(ROOT, 'test', 'case-standins', 'well-behaved-case.mjs')].join(' ');
const SERVER_KEY = 'servers-suite-key-5f1c0e';

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function serve(name: string, args: string[]): Promise<LlamaServer> {
  return startLlamaServer(prepared.binary, args, { logFile: join(work, `${name}.log`) });
}

const single = (extra: string[] = []) => ['-m', prepared.model, '--alias', MODEL, '-c', '32768', '--jinja', ...extra];

async function withSandbox<T>(server: LlamaServer, body: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await makeSandbox(`${server.url}/v1`);
  try {
    return await body(sandbox);
  } finally {
    await sandbox.cleanup();
  }
}

async function run(sandbox: Sandbox, args: string[], env: Record<string, string | undefined> = {}): Promise<{ exitCode: number; report: Report; stderr: string }> {
  const result = await runCli(['run', '--json', '--out', sandbox.out, '--timeout', '600', ...args], sandbox.env(env));
  return { exitCode: result.exitCode, report: parseReport(result.stdout), stderr: result.stderr };
}

const reasons = (report: Report) => report.fail_reasons.map((f) => f.reason);

// What every run against an honest server must show, whatever Stage 2 did.
function expectHonest(report: Report, laneName: 'fake' | 'real' = 'fake'): void {
  expect(reasons(report)).not.toContain('fallback_detected');
  expect(report.no_fallback.verdict, JSON.stringify(report.no_fallback)).toBe(true);
  const lane = report.lanes.find((l) => l.lane === laneName)!;
  expect(lane.rejected_requests).toEqual([]);
  expect(lane.requests_total).toBeGreaterThan(0);
  expect(Object.keys(lane.requests_by_model)).toEqual([MODEL]);
  expect(lane.upstream).toMatchObject({ source: 'admitted_server', server_kind: 'llama.cpp' });
}

describe(`llama.cpp llama-server (${prepared.key})`, () => {
  let server: LlamaServer;
  beforeAll(async () => {
    server = await serve('single', single());
  });
  afterAll(() => server.stop());

  it('validate: every gate passes, and the preflight reads the server and its window', async () => {
    await withSandbox(server, async (sandbox) => {
      const result = await runCli(['validate', '--json'], sandbox.env());
      expect(result.exitCode, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout) as { status: string };
      expect(out.status).toBe('ready');
      const { report } = await run(sandbox, []);
      expect(report.preflight).toMatchObject({ server_kind: 'llama.cpp', server_check: { ok: true }, context_window: { tokens: expect.any(Number) } });
      expect(report.preflight?.server_version).toMatch(/\S/);
    });
  });

  it('fake lane: Stage 2 fails on the gibberish model, the evidence shows no fallback, and Case was told the real window', async () => {
    await withSandbox(server, async (sandbox) => {
      const { exitCode, report } = await run(sandbox, ['--keep-workspace']);
      expect(exitCode).toBe(1);
      expectHonest(report);
      expect(reasons(report)).toContain('pipeline_not_completed');
      const lane = report.lanes[0]!;
      expect(Object.keys(lane.responses_by_status)).toEqual(['200']);
      expect(lane.provider_errors).toEqual([]);
      const models = JSON.parse(readFileSync(join(sandbox.out, report.run_id, 'lanes', 'fake', 'adapter', 'models.json'), 'utf8'));
      expect(models.providers.openai.models[0].contextWindow).toBe(report.preflight?.context_window.tokens);
    });
  });

  it(caseCommand ? 'real lane: real WorkOS Case' : 'real lane: the well-behaved stand-in (set CTO_HARNESS_CASE_COMMAND for real Case)', async () => {
    await withSandbox(server, async (sandbox) => {
      const { report } = await run(sandbox, ['--lane', 'real'], { CTO_HARNESS_CASE_COMMAND: caseCommand ?? standIn });
      expectHonest(report, 'real');
      const real = report.lanes.find((l) => l.lane === 'real')!;
      const baseline = report.lanes.find((l) => l.lane === 'fake')!;
      expect(real.upstream.base_url).toBe(`${server.url}/v1`);
      expect(baseline.upstream).toMatchObject({ source: 'harness_scripted_provider', server_kind: 'case-route scripted provider' });
      expect(baseline.upstream.base_url).not.toBe(real.upstream.base_url);
      expect(real.provider_errors).toEqual([]);
    });
  }, 900_000);

  // Real Case, with its quick successive requests, met llama-server's closes in about one run in five.
  it('several real-lane runs back to back are all honest', async () => {
    await withSandbox(server, async (sandbox) => {
      for (let i = 0; i < 5; i++) {
        const { report } = await run(sandbox, ['--lane', 'real'], { CTO_HARNESS_CASE_COMMAND: caseCommand ?? standIn });
        expectHonest(report, 'real');
        expect(reasons(report)).not.toContain('provider_error');
      }
    });
  }, 1_800_000);

  it('record and replay: the transcript keeps what llama-server streamed, and the run replays without it', async () => {
    await withSandbox(server, async (sandbox) => {
      const { report: recorded } = await run(sandbox, []);
      expectHonest(recorded);
      const runDir = join(sandbox.out, recorded.run_id);
      const lines = readFileSync(join(runDir, 'lanes', 'fake', 'transcript.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(lines).toHaveLength(recorded.lanes[0]!.requests_total);
      for (const line of lines) {
        expect(line).toMatchObject({ lane: 'fake', agent: expect.any(String), response: { status: 200 } });
        expect(line.response.events.at(-1).data).toBe('[DONE]');
        expect(JSON.parse(line.response.events[0].data)).toMatchObject({ object: 'chat.completion.chunk', model: MODEL });
      }
      // The server is not needed to replay: the base URL points nowhere.
      const result = await runCli(['run', '--lane', 'replay', '--from', runDir, '--json', '--out', sandbox.out], sandbox.env({ CTO_HARNESS_CASE_LOCAL_BASE_URL: 'http://127.0.0.1:9/v1' }));
      const replay = parseReport(result.stdout);
      expect(replay.replay?.differences, JSON.stringify(replay.replay)).toEqual([]);
      expect(replay.replay?.recorded).toEqual(replay.replay?.replayed);
      expect(reasons(replay)).not.toContain('replay_diverged');
    });
  });

  it('streams back to back through the recording proxy: every one answered, a closed connection sent again', async () => {
    const auditFile = join(work, 'back-to-back.jsonl');
    const proxy = await startRecordingProxy({ upstream: `${server.url}/v1`, admittedModel: MODEL, laneToken: 'lane', auditFile });
    try {
      for (let i = 0; i < 20; i++) {
        const response = await fetch(`${proxy.url}/chat/completions`, {
          method: 'POST',
          headers: { authorization: 'Bearer lane', 'content-type': 'application/json' },
          body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `turn ${i}` }], stream: true, stream_options: { include_usage: true }, max_completion_tokens: 4 }),
        });
        expect(response.status).toBe(200);
        expect(await response.text()).toContain('data: [DONE]');
      }
    } finally {
      await proxy.close();
    }
    const audit = await readAudit(auditFile);
    expect(audit.map((r) => [r.status, r.refused, r.upstream_error])).toEqual(Array.from({ length: 20 }, () => [200, null, null]));
  });
});

describe('a context window smaller than Case needs', () => {
  it('blocks before Case starts, naming the window', async () => {
    const server = await serve('small', ['-m', prepared.model, '--alias', MODEL, '-c', '4096', '--parallel', '1', '--jinja']);
    try {
      await withSandbox(server, async (sandbox) => {
        const { exitCode, report } = await run(sandbox, []);
        expect(exitCode).toBe(2);
        expect(report.blocked_reason).toBe('context_window_too_small');
        expect(report.blocked_detail).toContain('4096 tokens');
        expect(report.case_process_started).toBe(false);
      });
    } finally {
      await server.stop();
    }
  });
});

describe('router mode (--models-dir, loaded on demand)', () => {
  it('passes when the admitted model is listed, loads it on the first request, and blocks when it is not listed', async () => {
    const dir = join(work, 'models');
    mkdirSync(dir, { recursive: true });
    symlinkSync(prepared.model, join(dir, `${MODEL}.gguf`));
    const server = await serve('router', ['--models-dir', dir, '-c', '32768', '--jinja']);
    try {
      await withSandbox(server, async (sandbox) => {
        const { report } = await run(sandbox, []);
        expect(report.blocked_reason).toBeNull();
        expect(report.preflight?.server_check?.detail).toMatch(/^router mode: 'qwen3\.6-35b-a3b' is /);
        expectHonest(report);
        const other = await runCli(['validate', '--json'], sandbox.env({ CTO_HARNESS_CASE_MODEL: 'not-in-the-dir' }));
        expect(other.exitCode).toBe(2);
      });
    } finally {
      await server.stop();
    }
  }, 300_000);
});

describe('several aliases', () => {
  it('serves the admitted model under its second alias, and names the aliases when it blocks', async () => {
    const server = await serve('aliases', ['-m', prepared.model, '--alias', `another-name,${MODEL}`, '-c', '32768', '--jinja']);
    try {
      await withSandbox(server, async (sandbox) => {
        const { report } = await run(sandbox, []);
        expect(report.preflight?.model_aliases).toEqual({ 'another-name': [MODEL] });
        expectHonest(report);
      });
      const gate = modelIsServed(await observeProvider(`${server.url}/v1`, 'missing-model'), 'missing-model');
      expect(gate).toEqual({ ok: false, reason: 'model_not_served', detail: `/v1/models lists another-name (aliases: ${MODEL}), not "missing-model"` });
    } finally {
      await server.stop();
    }
  });
});

describe('an API key on the server', () => {
  it('without the key: blocked, naming CTO_HARNESS_CASE_LOCAL_API_KEY; with it: runs, and the key is in no artifact', async () => {
    const server = await serve('key', single(['--api-key', SERVER_KEY]));
    try {
      await withSandbox(server, async (sandbox) => {
        const without = await run(sandbox, []);
        expect(without.report.blocked_reason).toBe('provider_unreachable');
        expect(without.report.blocked_detail).toContain('wants an API key');
        expect(without.report.blocked_detail).toContain('CTO_HARNESS_CASE_LOCAL_API_KEY');
        const withKey = await run(sandbox, ['--keep-workspace'], { CTO_HARNESS_CASE_LOCAL_API_KEY: SERVER_KEY });
        expectHonest(withKey.report);
        expect(reasons(withKey.report)).not.toContain('secret_detected');
        const found = await execa('grep', ['-rl', SERVER_KEY, sandbox.out], { reject: false });
        expect(found.stdout).toBe('');
      });
    } finally {
      await server.stop();
    }
  });
});

describe('the server killed mid-run', () => {
  it('is reported as the server failing, not as a fallback', async () => {
    const server = await serve('killed', single());
    try {
      await withSandbox(server, async (sandbox) => {
        const child = execa(process.execPath, [CLI, 'run', '--json', '--out', sandbox.out], { env: sandbox.env(), extendEnv: false, reject: false, cwd: ROOT, stdin: 'ignore' });
        child.stderr?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('case_process_started')) void server.stop('SIGKILL');
        });
        const result = await child;
        const report = parseReport(String(result.stdout));
        expect(report.status).toBe('fail');
        expect(reasons(report)).not.toContain('fallback_detected');
        expect(reasons(report)).toContain('provider_error');
        const lane = report.lanes[0]!;
        expect(lane.rejected_requests).toEqual([]);
        expect(lane.served_after.still_served).toBe(false);
      });
    } finally {
      await server.stop();
    }
  });
});
