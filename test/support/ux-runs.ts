import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../../src/report/report-schema.js';
import { EXAMPLES, runCli, type CliResult, type Sandbox } from './cli.js';

export interface RunOutcome extends CliResult {
  // The run's own directory, <out>/<run_id>, holding report.json and its companions.
  readonly runDir: string;
  readonly report: Report;
}

// One `case-route run` in the sandbox; the sandbox's out directory holds only this run.
export async function runInSandbox(sandbox: Sandbox, env: Record<string, string | undefined> = {}, extra: string[] = []): Promise<RunOutcome> {
  const result = await runCli(['run', '--out', sandbox.out, ...extra], sandbox.env(env));
  const runs = await readdir(sandbox.out);
  if (runs.length !== 1) throw new Error(`expected one run directory, found ${runs.length}: ${result.stderr}`);
  const runDir = join(sandbox.out, runs[0]!);
  return { ...result, runDir, report: JSON.parse(await readFile(join(runDir, 'report.json'), 'utf8')) as Report };
}

// The example admission file with some fields replaced, written into the sandbox.
export async function admissionWith(sandbox: Sandbox, fields: Record<string, unknown>): Promise<string> {
  const admission = JSON.parse(await readFile(join(EXAMPLES, 'admission.json'), 'utf8')) as Record<string, unknown>;
  const file = join(sandbox.dir, 'admission.json');
  await writeFile(file, JSON.stringify({ ...admission, ...fields }));
  return file;
}

export async function decisionWith(sandbox: Sandbox, fields: Record<string, unknown>): Promise<string> {
  const decision = JSON.parse(await readFile(join(EXAMPLES, 'decision.json'), 'utf8')) as Record<string, unknown>;
  const file = join(sandbox.dir, 'decision.json');
  await writeFile(file, JSON.stringify({ ...decision, ...fields }));
  return file;
}
