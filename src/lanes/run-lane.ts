import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { casePhases } from '../evidence/case-phases.js';
import { parseSpawnLines, pipelineOutcome, readCaseEvents, type EvidenceProblem } from '../evidence/case-observations.js';
import { firstError } from '../evidence/first-error.js';
import { readGitHistory } from '../evidence/git-history.js';
import type { Redactor } from '../evidence/redact.js';
import { runAcceptanceCheck } from '../fixture/acceptance-check.js';
import { readEgressLog } from '../evidence/egress-log.js';
import { readGhCalls } from '../evidence/gh-calls.js';
import { listsModel, observeProvider } from '../local-server/preflight.js';
import { readAudit } from '../evidence/proxy-audit.js';
import { parseTranscript, TRANSCRIPT_FILE } from '../evidence/transcript.js';
import { redactTranscript } from '../evidence/transcript-redact.js';
import type { CheckedLane, LaneProcessEnd, SpawnLine } from './lane-types.js';
import type { PreparedLane } from './prepare-lanes.js';
import { runProcessTree } from './process-tree.js';

export interface RunLaneOptions {
  readonly signal: AbortSignal;
  readonly redactor: Redactor;
  readonly artifactsDir: string;
  // The harness's own PATH: the acceptance check and git never run from a PATH the lane wrote.
  readonly harnessPath: string;
}

const ACCEPTANCE_TIMEOUT_MS = 60_000;
// Beyond this a lane's stdout or stderr is not kept, and the run fails (evidence_truncated).
export const LANE_OUTPUT_CAP = 32 * 1024 * 1024;

async function readHarnessFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

export interface LaneProcessHooks {
  readonly onStart: () => void;
  // Each spawn line as it streams by; the files read after the lane are still what is judged.
  readonly onSpawnLine: (line: SpawnLine) => void;
}

function outputFiles(lane: PreparedLane) {
  return { stdout: join(lane.harness.evidence, 'stdout.log'), stderr: join(lane.harness.evidence, 'stderr.log') };
}

// Runs the lane's process tree until it ends; stopping it (abort, deadline) is the caller's
// signal. Nothing here judges the lane.
export async function runLaneProcess(lane: PreparedLane, signal: AbortSignal, hooks: LaneProcessHooks): Promise<LaneProcessEnd> {
  const startedAt = new Date().toISOString();
  const run = await runProcessTree(lane.argv, {
    cwd: lane.dirs.repo,
    env: lane.env,
    signal,
    output: { ...outputFiles(lane), maxBytes: LANE_OUTPUT_CAP },
    statusFd: lane.sandbox.isolation.mode === 'namespaces',
    onStart: hooks.onStart,
    onLine: (stream, line) => {
      for (const spawn of parseSpawnLines([{ name: stream, text: line }]).lines) hooks.onSpawnLine(spawn);
    },
  });
  return { ...run, startedAt };
}

export interface CheckLaneHooks {
  readonly onPipelineEnd: (outcome: string) => void;
}

// Gathers what the lane left behind once its process is gone. Every record of what the lane did
// is the harness's (its proxies' logs, its own capture of the lane's output); what the lane wrote
// itself (events, commits) is read only now, without following links, with caps and deadlines.
export async function checkLane(lane: PreparedLane, run: LaneProcessEnd, options: RunLaneOptions, hooks: CheckLaneHooks): Promise<CheckedLane> {
  const out = join(options.artifactsDir, lane.name);
  await mkdir(join(out, 'adapter'), { recursive: true });
  const output = outputFiles(lane);
  // The lane's proxies keep recording through the check: an egress attempt by code the lane left
  // is evidence as much as one Case makes.
  const acceptance = options.signal.aborted
    ? { ran: false, passed: false, exit_code: null, detail: 'the run was aborted', output_tail: '' }
    : await runAcceptanceCheck({
        laneRepo: lane.dirs.repo,
        workDir: lane.harness.acceptance,
        command: lane.fixture.manifest.acceptance,
        judge: lane.fixture.manifest.judge,
        pristineRepo: lane.fixture.repoDir,
        checkFiles: lane.checkFiles,
        env: { ...lane.env, PATH: options.harnessPath, HOME: lane.harness.acceptance },
        sandbox: lane.sandbox,
        bridges: [lane.egressBridge],
        timeoutMs: ACCEPTANCE_TIMEOUT_MS,
        signal: options.signal,
        output: {
          stdout: join(lane.harness.evidence, 'acceptance.stdout.log'),
          stderr: join(lane.harness.evidence, 'acceptance.stderr.log'),
          judge: join(lane.harness.evidence, 'acceptance.judge.log'),
        },
      });
  const after = await observeProvider(lane.upstream.base_url, lane.mapping.model, { apiKey: lane.upstreamApiKey, timeoutMs: 5000 });
  // Only now do the proxies stop and finish their logs, so every request is a whole line.
  await lane.stopRecorders();
  const [stdout, stderr, transcriptText, events, history] = await Promise.all([
    readHarnessFile(output.stdout),
    readHarnessFile(output.stderr),
    lane.transcriptFile === null ? null : readHarnessFile(lane.transcriptFile),
    readCaseEvents(lane.dirs.repo, lane.slug),
    readGitHistory(lane.dirs.repo, {
      sandbox: lane.sandbox,
      stage: join(lane.harness.stage, 'git'),
      path: options.harnessPath,
      output: join(lane.harness.evidence, 'git-history.log'),
      signal: options.signal,
    }),
  ]);
  const outcome = pipelineOutcome(events);
  if (outcome !== null) hooks.onPipelineEnd(outcome);
  const spawns = parseSpawnLines([
    { name: 'stderr', text: stderr },
    { name: 'stdout', text: stdout },
  ]);
  const problems: EvidenceProblem[] = [
    ...(run.truncated ? [{ kind: 'truncated' as const, detail: `the lane's output passed ${LANE_OUTPUT_CAP} bytes and the lane was stopped` }] : []),
    ...spawns.problems,
    ...events.problems,
    ...history.problems,
    ...(transcriptText === null ? [] : parseTranscript(transcriptText, TRANSCRIPT_FILE).problems),
  ];
  const redact = options.redactor.redact.bind(options.redactor);
  const redacted = { stdout: redact(stdout), stderr: redact(stderr), events: events.files.map((file) => redact(file.text)) };
  await mkdir(join(out, 'events'), { recursive: true });
  await Promise.all([
    writeFile(join(out, 'stdout.log'), redacted.stdout),
    writeFile(join(out, 'stderr.log'), redacted.stderr),
    ...lane.generated.map((file) => writeFile(join(out, 'adapter', file.name), redact(file.text))),
    ...[lane.auditFile, lane.egressFile, lane.ghFile].map(async (file) =>
      writeFile(join(out, file.slice(file.lastIndexOf('/') + 1)), redact(await readHarnessFile(file))),
    ),
    ...events.files.map((file, i) => writeFile(join(out, 'events', file.name), redacted.events[i]!)),
    ...(transcriptText === null ? [] : [writeFile(join(out, TRANSCRIPT_FILE), redactTranscript(transcriptText, options.redactor))]),
  ]);
  const gh = await readGhCalls(lane.ghFile);
  const stillServed = listsModel(after, lane.mapping.model);
  const evidence: Omit<CheckedLane, 'first_error'> = {
    history_holds_secret: history.holdsSecret(options.redactor),
    lane: lane.name,
    role: lane.role,
    isolation: lane.sandbox.isolation,
    fixture: { name: lane.fixture.name, tree_sha256: lane.treeSha256 },
    mapping: lane.mapping,
    started_at: run.startedAt,
    upstream: lane.upstream,
    exit_code: run.exitCode,
    signal: run.signal,
    timed_out: run.timedOut,
    duration_ms: run.durationMs,
    requests: await readAudit(lane.auditFile),
    egress_attempts: await readEgressLog(lane.egressFile),
    spawn_lines: spawns.lines,
    pipeline_outcome: outcome,
    phases: casePhases(events.files),
    transcript_kept: transcriptText !== null,
    acceptance,
    evidence_problems: problems,
    pull_requests: gh.filter((call) => call.allowed).length,
    refused_gh_calls: gh.filter((call) => !call.allowed).length,
    served_after: {
      checked: true,
      still_served: stillServed,
      detail: stillServed ? `${lane.mapping.model} still listed` : `after the lane /v1/models lists ${after.models_listed.join(', ') || 'nothing'}${after.error ? ` (${after.error})` : ''}`,
    },
    case_command: await lane.caseCommand,
  };
  // Read from the redacted texts: the first error clips lines, and a secret clipped in two would
  // no longer match the redactor when the report is.
  return { ...evidence, first_error: firstError({ ...evidence, ...redacted }) };
}
