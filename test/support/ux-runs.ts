import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import type { Report } from '../../src/report/report-schema.js';
import { CLI, EXAMPLES, ROOT, runCli, type CliResult, type Sandbox } from './cli.js';

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

// A run should be over within this long of writing its report, browser or no browser.
export const EXIT_AFTER_REPORT_MS = 3000;

export interface ViewedRun {
  readonly child: ResultPromise;
  // Resolves with the viewer's URL as soon as the CLI prints it.
  readonly url: Promise<string>;
  readonly lines: Array<{ at: number; line: string }>;
}

const VIEWER_URL = {
  inspector: /inspector: open (http:\/\/127\.0\.0\.1:\d+) /,
  watch: /watch: open (http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/) /,
} as const;

// `case-route run` with a viewer (--inspect or --watch in args), its stderr lines timed as they come.
export function startViewedRun(viewer: keyof typeof VIEWER_URL, args: string[], env: Record<string, string>): ViewedRun {
  const child = execa(process.execPath, [CLI, 'run', ...args], { env, extendEnv: false, cwd: ROOT, reject: false, stdin: 'ignore', timeout: 60_000 });
  const lines: ViewedRun['lines'] = [];
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => {
      lines.push({ at: Date.now(), line });
      const found = VIEWER_URL[viewer].exec(line);
      if (found) resolve(found[1]!);
    });
    child.then(() => reject(new Error(`the run ended without printing the ${viewer} URL:\n${lines.map((l) => l.line).join('\n')}`)), reject);
  });
  url.catch(() => undefined);
  return { child, url, lines };
}

export async function exitAfterReport(run: ViewedRun): Promise<{ exitCode: number | undefined; afterReportMs: number }> {
  const result = await run.child;
  const exitedAt = Date.now();
  const report = run.lines.find((l) => l.line.startsWith('case-route: report: '));
  if (!report) throw new Error(`no report line:\n${run.lines.map((l) => l.line).join('\n')}`);
  return { exitCode: result.exitCode, afterReportMs: exitedAt - report.at };
}
