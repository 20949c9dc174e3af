import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { nanoid } from 'nanoid';
import { createActor, fromPromise, toPromise, type Actor, type InspectionEvent } from 'xstate';
import { laneMachine } from '../../machines/lane.machine.js';
import { routeMachine, type RouteContext } from '../../machines/route.machine.js';
import { supervisorMachine } from '../../machines/supervisor.machine.js';
import { createRedactor, secretValuesFromEnv } from '../evidence/redact.js';
import { loadAdmissionFile } from '../inputs/admission.js';
import { loadDecisionFile } from '../inputs/decision.js';
import { readEnvConfig } from '../inputs/env-config.js';
import { missingVariables } from '../gates/config-gates.js';
import { laneActors } from '../lanes/lane-actor.js';
import type { LaneName } from '../lanes/lane-types.js';
import type { PreparedLane } from '../lanes/prepare-lanes.js';
import { observeProvider } from '../local-server/preflight.js';
import type { StateVisit } from '../report/project-report.js';
import type { Report } from '../report/report-schema.js';
import { Workspace } from './workspace.js';
import { PROJECT_ROOT } from '../paths.js';
import { homedir } from 'node:os';
import { DEFAULT_FIXTURE, RouteOptionsError, type ParsedRouteOptions } from './route-options.js';
import type { PathLabel } from '../evidence/redact.js';
import type { ReplaySource } from '../replay/replay-source.js';

export class RouteSetupError extends Error {}

export interface RouteRun {
  readonly actor: Actor<typeof routeMachine>;
  // Resolves once the machine has finished, every lane process is gone and the report is written.
  readonly done: Promise<RouteResult>;
}

export interface RouteResult {
  readonly report: Report | null;
  readonly reportFile: string | null;
  readonly finalState: string;
  readonly context: RouteContext;
}

function stateName(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// Builds the route actor with every step's I/O provided, ready to start, from options already
// parsed (route-api.ts is the way in). The caller may inspect it (`inspect`) before start().
export async function buildRouteRun(options: ParsedRouteOptions, inspect?: (event: InspectionEvent) => void): Promise<RouteRun> {
  const cwd = options.cwd ?? process.cwd();
  const workspace = Workspace.plan(options.keepWorkspace);
  const callerEnv = options.env ?? process.env;
  const pathLabels = [
    { path: workspace.dir, label: '<workspace>' },
    { path: PROJECT_ROOT, label: '<case-local-route>' },
    { path: cwd, label: '<cwd>' },
    { path: callerEnv.HOME ?? homedir(), label: '~' },
  ];
  const secrets = [...secretValuesFromEnv(callerEnv), ...(callerEnv.CTO_HARNESS_CASE_LOCAL_API_KEY ? [callerEnv.CTO_HARNESS_CASE_LOCAL_API_KEY] : [])];
  // The replay lane's model server is the recorded run, served here for the length of the run.
  const replay = await openReplay(options, cwd, secrets, pathLabels);
  const env = replay ? replay.env(callerEnv) : callerEnv;
  const fixture = replay?.recording.fixture ?? options.fixture ?? DEFAULT_FIXTURE;
  const config = readEnvConfig(env);
  const runId = nanoid(12);
  const runDir = join(resolve(cwd, options.outDir), runId);
  if (options.mode === 'run') {
    try {
      await mkdir(runDir, { recursive: true });
    } catch (error) {
      await replay?.close();
      throw new RouteSetupError(`cannot create the run directory under --out (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const redactor = createRedactor(secrets, pathLabels);
  let prepared: PreparedLane[] = [];
  const lanes = laneActors({ lanes: () => prepared, redactor, artifactsDir: join(runDir, 'lanes'), harnessPath: env.PATH ?? '' });
  const visits: StateVisit[] = [];
  const startedAt = new Date().toISOString();
  // An invoked actor starts before subscribers see the state that invoked it, so a step that
  // needs the visit list records its own state first; a repeat is ignored.
  const recordVisit = (state: string) => {
    if (visits.at(-1)?.state === state) return;
    const visit = { state, at: new Date().toISOString() };
    visits.push(visit);
    options.onState?.(visit);
  };
  // The report as written, kept for the caller rather than read back from disk. Lane and report
  // modules (and execa with them) load only when a run gets that far, so `validate` and a run
  // blocked at its first gates start as fast as Node allows (bench/RESULTS.md, gate latency).
  let written: { report: Report; file: string } | undefined;
  const writeReport = async (context: RouteContext, finalState: string, stateVisits: readonly StateVisit[]) => {
    const { emitReport } = await import('../report/write-report.js');
    written = await emitReport(
      runDir,
      { runId, context, finalState, visits: stateVisits, startedAt, finishedAt: new Date().toISOString(), aborted: finalState === 'aborted', replay: replay?.facts() },
      redactor,
    );
    return written;
  };

  const machine = routeMachine.provide({
    actors: {
      loadDecision: fromPromise(async () =>
        config.decisionFile?.trim()
          ? loadDecisionFile(resolve(cwd, config.decisionFile))
          : { ok: false as const, unset: true as const, detail: missingVariables(['decisionFile']) },
      ),
      readConfig: fromPromise(async () => {
        const { apiKey: _secret, ...visible } = config;
        return visible;
      }),
      loadAdmission: fromPromise(async ({ input }: { input: { file: string } }) => loadAdmissionFile(resolve(cwd, input.file))),
      preflightProvider: fromPromise(async ({ input }: { input: { baseUrl: string; model: string } }) =>
        observeProvider(input.baseUrl.trim(), input.model, { apiKey: config.apiKey, timeoutMs: 5000 }),
      ),
      prepareLanes: fromPromise(async ({ input }: { input: { lane: LaneName; fixture: string; admission: NonNullable<RouteContext['admission']>; contextWindow: number | null } }) => {
        const { prepareLanes } = await import('../lanes/prepare-lanes.js');
        const result = await prepareLanes({ workspace, lane: input.lane, fixtureName: input.fixture, admission: input.admission, config, parentEnv: env, cwd, runDir, isolation: options.isolation, redactor, contextWindow: input.contextWindow, transcript: options.transcript });
        prepared = result.lanes;
        return result.facts;
      }),
      superviseLanes: supervisorMachine.provide({
        actors: { lane: laneMachine.provide({ actors: lanes.actors }) },
        delays: { stage2Deadline: options.timeoutMs },
      }),
      emitReport: fromPromise(async ({ input }: { input: { context: RouteContext } }) => {
        recordVisit('stage2_complete');
        const { report, file } = await writeReport(input.context, 'report_emitted', [...visits, { state: 'report_emitted', at: new Date().toISOString() }]);
        return { status: report.status, file, run_id: runId };
      }),
    },
  });

  const actor = createActor(machine, { input: { lane: options.lane, fixture, mode: options.mode }, ...(inspect ? { inspect } : {}) });
  actor.subscribe((snapshot) => recordVisit(stateName(snapshot.value)));
  const onAbort = () => actor.send({ type: 'ABORT' });
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const done = (async (): Promise<RouteResult> => {
    try {
      await toPromise(actor);
      // A machine stopped from outside (actor.stop()) completes without output: it counts as an
      // abort, and its context is still the record of how far it got.
      const snapshot = actor.getSnapshot();
      const context = snapshot.context;
      const stopped = snapshot.status === 'stopped';
      const finalState = stopped ? 'aborted' : stateName(snapshot.value);
      await lanes.settled();
      if (finalState !== 'report_emitted' && finalState !== 'report_failed' && options.mode === 'run') {
        await writeReport(context, finalState, visits);
      }
      return { report: written?.report ?? null, reportFile: written?.file ?? null, finalState, context };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      // A run that threw or was stopped from outside has stopped its lane actors, which stop
      // their processes; the workspace goes only once they are gone.
      actor.stop();
      await lanes.settled();
      await workspace.dispose();
      await replay?.close();
    }
  })();
  return { actor, done };
}

async function openReplay(options: ParsedRouteOptions, cwd: string, secrets: string[], labels: PathLabel[]): Promise<ReplaySource | undefined> {
  if (options.lane !== 'replay') {
    if (options.from !== undefined) throw new RouteOptionsError('option from: only the replay lane replays a recorded run (--lane replay)');
    return undefined;
  }
  if (options.from === undefined) throw new RouteOptionsError('option from: the replay lane needs the recorded run directory (--from RUN_DIR)');
  const { startReplaySource, ReplaySourceError } = await import('../replay/replay-source.js');
  const source = await startReplaySource(options.from, cwd, secrets, labels).catch((error: unknown) => {
    throw error instanceof ReplaySourceError ? new RouteOptionsError(error.message) : error;
  });
  const askedFixture = options.fixture;
  if (askedFixture !== undefined && askedFixture !== source.recording.fixture) {
    await source.close();
    throw new RouteOptionsError(`option fixture: the recorded run used fixture "${source.recording.fixture ?? '(none)'}", not "${askedFixture}"`);
  }
  return source;
}
