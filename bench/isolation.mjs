// Benchmark 6: what isolation adds to a lane, from the lane's start to its first model request
// (the recording proxy's first audit record), with --isolation required and --isolation off run
// alternately, side by side, on the fake lane against the scripted provider in its own process.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIST, median, ROOT, routeEnv, startChild, stopChild } from './lib.mjs';

const CLI = fileURLToPath(new URL('bin/case-route.mjs', DIST));

async function startToFirstRequest(isolation, out, env) {
  const child = spawn(process.execPath, [CLI, 'run', '--json', '--isolation', isolation, '--out', out], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  for await (const chunk of child.stdout) stdout += chunk;
  const report = JSON.parse(stdout);
  if (report.status !== 'pass') throw new Error(`--isolation ${isolation} ended ${report.status}`);
  const lane = report.lanes[0];
  const audit = await readFile(join(out, report.run_id, 'lanes', lane.lane, 'proxy-audit.jsonl'), 'utf8');
  const first = JSON.parse(audit.split('\n')[0]);
  return { toFirstRequestMs: Date.parse(first.time) - Date.parse(lane.started_at), laneMs: lane.duration_ms };
}

export async function isolationCost({ quick = false } = {}) {
  const n = quick ? 3 : 9;
  const provider = await startChild('./upstream.mjs', ['scripted']);
  const out = await mkdtemp(join(tmpdir(), 'case-route-bench-isolation-'));
  const env = routeEnv(provider.info.url);

  try {
    await startToFirstRequest('required', out, env);
    const isolated = [];
    const open = [];
    for (let i = 0; i < n; i++) {
      isolated.push(await startToFirstRequest('required', out, env));
      open.push(await startToFirstRequest('off', out, env));
    }
    const summary = (runs) => ({ toFirstRequestMs: median(runs.map((r) => r.toFirstRequestMs)), laneMs: median(runs.map((r) => r.laneMs)) });
    const [required, off] = [summary(isolated), summary(open)];
    return { n, required, off, addedMs: required.toFirstRequestMs - off.toFirstRequestMs };
  } finally {
    await stopChild(provider.child);
    await rm(out, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await isolationCost({ quick: process.argv.includes('--quick') }), null, 2));
}
