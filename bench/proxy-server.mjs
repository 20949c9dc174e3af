// A child process running the recording proxy in front of an upstream (argv[2]), so that its CPU
// time and peak RSS are its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, LANE_TOKEN, MODEL, serveUsage } from './lib.mjs';

const { startRecordingProxy } = await import(new URL('src/provider/recording-proxy.js', DIST));
const dir = await mkdtemp(join(tmpdir(), 'case-route-bench-proxy-'));
const proxy = await startRecordingProxy({ upstream: `${process.argv[2]}/v1`, admittedModel: MODEL, laneToken: LANE_TOKEN, auditFile: join(dir, 'audit.jsonl') });
serveUsage(async () => {
  await proxy.close();
  await rm(dir, { recursive: true, force: true });
});
process.send({ ready: true, url: proxy.url });
