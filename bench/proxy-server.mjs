// A child process running the recording proxy in front of an upstream (argv[2]), so that its CPU
// time and peak RSS are its own; argv[3] is how it uses upstream connections (reuse or fresh).
// Asked `attempts`, it reads its audit so far: how many requests went twice, and how many failed.
// `--no-usage` turns the usage tap off (src/proxy/usage-tap.ts), to measure it side by side.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, LANE_TOKEN, MODEL, serveUsage } from './lib.mjs';

const { startRecordingProxy } = await import(new URL('src/proxy/recording-proxy.js', DIST));
const { readAudit } = await import(new URL('src/evidence/proxy-audit.js', DIST));
const dir = await mkdtemp(join(tmpdir(), 'case-route-bench-proxy-'));
const auditFile = join(dir, 'audit.jsonl');
const proxy = await startRecordingProxy({
  upstream: `${process.argv[2]}/v1`,
  admittedModel: MODEL,
  laneToken: LANE_TOKEN,
  auditFile,
  upstreamConnections: process.argv[3] ?? 'reuse',
  readUsage: !process.argv.includes('--no-usage'),
});
process.on('message', async (message) => {
  if (message?.type !== 'attempts') return;
  // The audit is appended as requests end; a moment lets the last line reach the file.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const records = await readAudit(auditFile);
  process.send({ requests: records.length, retried: records.filter((r) => r.upstream_attempts > 1).length, failed: records.filter((r) => r.upstream_error !== null).length });
});
serveUsage(async () => {
  await proxy.close();
  await rm(dir, { recursive: true, force: true });
});
process.send({ ready: true, url: proxy.url });
