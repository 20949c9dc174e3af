import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { join } from 'node:path';
import { parseSpawnLines, readCaseEvents, readGhCalls, readPipelineOutcome } from '../evidence/case-observations.js';
import { firstError } from '../evidence/first-error.js';
import type { Redactor } from '../evidence/redact.js';
import { runAcceptanceCheck } from '../fixture/acceptance-check.js';
import { readEgressLog } from '../provider/egress-proxy.js';
import { observeProvider } from '../provider/preflight.js';
import { readAudit } from '../provider/recording-proxy.js';
import type { LaneEvidence } from './lane-types.js';
import type { PreparedLane } from './prepare-lanes.js';
import { runProcessTree } from './process-tree.js';

export interface RunLaneOptions {
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
  readonly artifactsDir: string;
}

const ACCEPTANCE_TIMEOUT_MS = 60_000;

async function copyRedacted(from: string, to: string, redactor: Redactor): Promise<void> {
  let text: string;
  try {
    text = await readFile(from, 'utf8');
  } catch {
    return;
  }
  await writeFile(to, redactor.redact(text));
}

// Runs one lane to its end and gathers what it left behind. Nothing here judges the lane.
export async function runLane(lane: PreparedLane, options: RunLaneOptions): Promise<LaneEvidence> {
  const out = join(options.artifactsDir, lane.name);
  await mkdir(out, { recursive: true });
  const run = await runProcessTree(lane.argv, {
    cwd: lane.dirs.repo,
    env: lane.env,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  });
  // The acceptance check runs the lane's code again, in the lane's environment, so the lane's
  // proxies keep recording until it is over: an attempt it makes is evidence as much as one Case
  // makes. What the lane printed and what Case was told are copied meanwhile, as they were when it
  // ended (bench/RESULTS.md: the harness's time after a lane is on the run's critical path).
  const acceptance = options.signal.aborted
    ? Promise.resolve({ ran: false, passed: false, exit_code: null, output_tail: '' })
    : runAcceptanceCheck(lane.dirs.repo, lane.fixture.manifest.acceptance, lane.env, ACCEPTANCE_TIMEOUT_MS);
  const accepted = await alongside(acceptance, () => copyLaneOutput(lane, out, run, options.redactor));
  // After the copy's redaction, which holds the event loop, so that the probe's timeout measures
  // the provider and not this process.
  const after = await observeProvider(lane.upstream, lane.mapping.model, { apiKey: lane.upstreamApiKey, timeoutMs: 5000 });
  // Now the lane's proxies stop taking requests and finish their logs, and only then is anything
  // read from them, so the evidence holds every request made, each as a whole line.
  await lane.stopRecorders();
  const history = await alongside(
    execa('git', ['log', '-p', '--all'], { cwd: lane.dirs.repo, reject: false, stdin: 'ignore', env: lane.env, extendEnv: false }),
    () => copyLaneLogs(lane, out, options.redactor),
  );
  const gh = await readGhCalls(join(lane.dirs.logs, 'gh.jsonl'));
  const stillServed = after.models_listed.includes(lane.mapping.model);
  const evidence: Omit<LaneEvidence, 'first_error'> = {
    history_holds_secret: history.exitCode !== 0 || options.redactor.scan(String(history.stdout)).secret,
    lane: lane.name,
    role: lane.role,
    fixture: { name: lane.fixture.name, tree_sha256: lane.treeSha256 },
    mapping: lane.mapping,
    exit_code: run.exitCode,
    signal: run.signal,
    timed_out: run.timedOut,
    duration_ms: run.durationMs,
    requests: await readAudit(lane.auditFile),
    egress_attempts: await readEgressLog(lane.egressFile),
    spawn_lines: parseSpawnLines(run.stderr),
    pipeline_outcome: await readPipelineOutcome(lane.dirs.repo, lane.slug),
    acceptance: accepted,
    pull_requests: gh.filter((call) => call.allowed).length,
    refused_gh_calls: gh.filter((call) => !call.allowed).length,
    served_after: {
      checked: true,
      still_served: stillServed,
      detail: stillServed ? `${lane.mapping.model} still listed` : `after the lane /v1/models lists ${after.models_listed.join(', ') || 'nothing'}${after.error ? ` (${after.error})` : ''}`,
    },
    isolation: { mode: 'off', detail: 'not isolated' },
    case_command: await lane.caseCommand,
  };
  const events = await readCaseEvents(lane.dirs.repo, lane.slug);
  return { ...evidence, first_error: firstError({ ...evidence, stdout: run.stdout, stderr: run.stderr, events }) };
}

// Does `work` while `pending` (a check that resolves whatever happens) goes on, and waits for it
// even when the work fails: no process outlives the lane's supervision.
async function alongside<T>(pending: Promise<T>, work: () => Promise<void>): Promise<T> {
  try {
    await work();
  } finally {
    await pending;
  }
  return pending;
}

async function copyLaneOutput(lane: PreparedLane, out: string, run: { stdout: string; stderr: string }, redactor: Redactor): Promise<void> {
  await mkdir(join(out, 'adapter'), { recursive: true });
  await Promise.all([
    writeFile(join(out, 'stdout.log'), redactor.redact(run.stdout)),
    writeFile(join(out, 'stderr.log'), redactor.redact(run.stderr)),
    // The generated Case config goes with the evidence: the attestation digests what Case was told.
    copyRedacted(join(lane.dirs.data, 'config.json'), join(out, 'adapter', 'config.json'), redactor),
    copyRedacted(join(lane.dirs.data, 'projects.json'), join(out, 'adapter', 'projects.json'), redactor),
    copyRedacted(join(lane.dirs.pi, 'models.json'), join(out, 'adapter', 'models.json'), redactor),
  ]);
}

async function copyLaneLogs(lane: PreparedLane, out: string, redactor: Redactor): Promise<void> {
  await mkdir(join(out, 'events'), { recursive: true });
  await Promise.all([
    ...['proxy-audit.jsonl', 'egress.jsonl', 'gh.jsonl'].map((name) => copyRedacted(join(lane.dirs.logs, name), join(out, name), redactor)),
    copyEvents(join(lane.dirs.repo, '.case', lane.slug, 'events'), join(out, 'events'), redactor),
  ]);
}

async function copyEvents(from: string, to: string, redactor: Redactor): Promise<void> {
  let names: string[] = [];
  try {
    names = await readdir(from);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.endsWith('.jsonl'))) await copyRedacted(join(from, name), join(to, name), redactor);
}
