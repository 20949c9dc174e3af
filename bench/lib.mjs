// Shared by the benchmarks: statistics, child processes and their CPU and memory figures.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = new URL('../dist/', import.meta.url);
export const MODEL = 'qwen3.6-35b-a3b';
export const LANE_TOKEN = 'bench-lane-token-0123456789';

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

export const median = (values) => quantile(values, 0.5);

// The documented environment of a run against the scripted provider at `baseUrl`, with the repo's
// well-behaved stand-in as the real lane's Case.
export function routeEnv(baseUrl) {
  return {
    PATH: process.env.PATH,
    CTO_HARNESS_CASE_DECISION_FILE: join(ROOT, 'examples', 'decision.json'),
    CTO_HARNESS_CASE_MODEL_ADMISSION_FILE: join(ROOT, 'examples', 'admission.json'),
    CTO_HARNESS_CASE_MODEL_PROVIDER: 'qwen-local',
    CTO_HARNESS_CASE_MODEL: MODEL,
    CTO_HARNESS_CASE_LOCAL_BASE_URL: baseUrl,
    CTO_HARNESS_CASE_COMMAND: `${process.execPath} ${join(ROOT, 'test', 'case-standins', 'well-behaved-case.mjs')}`,
  };
}

export const MiB = 1024 * 1024;

// A node script under bench/ as a child process with an IPC channel; resolves with the child and
// its first message (each child says `{ ready, ... }` once it listens).
export async function startChild(script, args = []) {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`${script} exited with ${code} before it was ready`);
    }),
  ]);
  return { child, info: message };
}

// One request/answer over the child's IPC channel: `{ type }` in, the next message out.
export async function ask(child, type) {
  const answer = once(child, 'message');
  child.send({ type });
  const [message] = await answer;
  return message;
}

export async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}

// Wall time of one whole process, spawn to exit, in ms.
export async function timeProcess(command, args, options = {}) {
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'ignore'], ...options });
  const [code] = await once(child, 'exit');
  return { ms: performance.now() - started, code };
}

// Everything a benchmark needs from the process under test: CPU time (user+system) and memory.
export function usage() {
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rss: process.memoryUsage.rss(), maxRss: process.resourceUsage().maxRSS * 1024 };
}

// Answers `usage` requests over IPC until the parent disconnects, then runs `close`.
export function serveUsage(close) {
  process.on('message', (message) => {
    if (message?.type === 'usage') process.send(usage());
  });
  process.on('disconnect', () => void close().finally(() => process.exit(0)));
  process.on('SIGTERM', () => void close().finally(() => process.exit(0)));
}
