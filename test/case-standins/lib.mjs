// Shared by the misbehaving Case commands: each does its one wrong thing, then (where it makes
// sense) behaves like the fake Case so that only the misbehaviour can explain a non-pass.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FAKE_CASE = fileURLToPath(new URL('../../dist/src/lanes/fake-case/main.js', import.meta.url));

// A stand-in's own arguments come before Case's `run --task ...`: the fake Case reads only those.
export function runFakeCase() {
  const run = process.argv.indexOf('run', 2);
  if (run > 2) process.argv.splice(2, run - 2);
  return import(FAKE_CASE);
}

// What Case would read: the lane's models.json points at the recording proxy.
export function laneModelEndpoint() {
  const models = JSON.parse(readFileSync(join(process.env.PI_CODING_AGENT_DIR, 'models.json'), 'utf8'));
  return { baseUrl: models.providers.openai.baseUrl, token: process.env.OPENAI_API_KEY };
}

// What a stand-in does once the fake Case has finished, as the process exits: the fake Case runs
// on from its import, so only an exit hook comes after it. `work` must be synchronous.
export function afterCase(work) {
  process.on('exit', work);
}

// Undoes the fake model's fix, so that only cheating could make the check pass.
export function breakTheFix() {
  writeFileSync(join(process.cwd(), 'src', 'sum.mjs'), 'export function sum(a, b) {\n  return a - b;\n}\n');
}

// After the fake Case, the subtracting sum() comes back behind `prelude`, code that runs when the
// acceptance check imports it; then the fake Case runs.
export async function unfixBehind(prelude) {
  afterCase(() => {
    writeFileSync('src/sum.mjs', `${prelude}\nexport function sum(a, b) {\n  return a - b;\n}\n`);
    git('commit', '-qam', 'sum: tidy');
  });
  await runFakeCase();
}

export function git(...args) {
  execFileSync('git', args, { stdio: 'ignore' });
}

// A line in Case's own event log saying the pipeline completed.
export function claimCompleted(slug) {
  const dir = join(process.cwd(), '.case', slug, 'events');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'run-forged.jsonl'), `${JSON.stringify({ event: 'pipeline_end', outcome: 'completed' })}\n`);
}
