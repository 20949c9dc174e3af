// Benchmark 5: the whole route as a user runs it, `case-route run --json`, against the scripted
// provider in its own process: the fake lane, and the real lane (beside its fake baseline) with the
// repo's test stand-in for Case (a real process running the fake Case) and, when available, with
// real WorkOS Case.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, median, ROOT, routeEnv, startChild, stopChild } from './lib.mjs';

const CLI = fileURLToPath(new URL('bin/case-route.mjs', DIST));

async function runRoute(args, env) {
  const spawned = Date.now();
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', '--json', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  for await (const chunk of child.stdout) stdout += chunk;
  const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
  const wallMs = performance.now() - started;
  const report = JSON.parse(stdout);
  if (code !== 0 || report.status !== 'pass') throw new Error(`run ${args.join(' ')} ended ${code} ${report.status}`);
  // Where the run's time went, from its own state timestamps and the process's start and end.
  const at = (state) => Date.parse(report.states_visited.find((v) => v.state === state).at);
  const lanesMs = Math.max(...report.lanes.map((lane) => lane.duration_ms));
  const phases = {
    startup: at('loading_decision') - spawned,
    gates: at('provider_verified') - at('loading_decision'),
    prepareLanes: at('case_process_started') - at('provider_verified'),
    lanes: lanesMs,
    afterLanes: at('stage2_complete') - at('case_process_started') - lanesMs,
    reportAndExit: spawned + wallMs - at('stage2_complete'),
  };
  return { wallMs, toReportEmittedMs: at('report_emitted') - spawned, lanesMs, harnessShare: (wallMs - lanesMs) / wallMs, phases };
}

const medianPhases = (runs) => Object.fromEntries(Object.keys(runs[0].phases).map((name) => [name, median(runs.map((r) => r.phases[name]))]));

const summary = (runs) => ({
  wallMs: median(runs.map((r) => r.wallMs)),
  toReportEmittedMs: median(runs.map((r) => r.toReportEmittedMs)),
  lanesMs: median(runs.map((r) => r.lanesMs)),
  harnessMs: median(runs.map((r) => r.wallMs - r.lanesMs)),
  harnessShare: median(runs.map((r) => r.harnessShare)),
  phases: medianPhases(runs),
});

// The real lane runs the repo's stand-in for Case; and real WorkOS Case as well when
// CTO_HARNESS_CASE_COMMAND names it in the bench's environment (README, "Running real WorkOS Case").
export async function wholeRoute({ quick = false } = {}) {
  const n = quick ? 2 : 5;
  const provider = await startChild('./upstream.mjs', ['scripted']);
  const out = await mkdtemp(join(tmpdir(), 'case-route-bench-runs-'));
  const env = routeEnv(provider.info.url);

  const realCase = process.env.CTO_HARNESS_CASE_COMMAND;
  const realCaseEnv = realCase ? { ...env, CTO_HARNESS_CASE_COMMAND: realCase } : undefined;
  try {
    await runRoute(['--out', out], env);
    if (realCaseEnv) await runRoute(['--lane', 'real', '--out', out], realCaseEnv);
    const fake = [];
    const standIn = [];
    const real = [];
    for (let i = 0; i < n; i++) {
      fake.push(await runRoute(['--out', out], env));
      standIn.push(await runRoute(['--lane', 'real', '--out', out], env));
      if (realCaseEnv) real.push(await runRoute(['--lane', 'real', '--out', out], realCaseEnv));
    }
    return { n, fake: summary(fake), standIn: summary(standIn), realCase: realCaseEnv ? summary(real) : null };
  } finally {
    await stopChild(provider.child);
    await rm(out, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await wholeRoute({ quick: process.argv.includes('--quick') }), null, 2));
}
