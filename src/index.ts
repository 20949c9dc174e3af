// The public API: what a harness script imports from 'case-local-route'.
import type { InspectionEvent } from 'xstate';
import type { GateName } from '../machines/route.machine.js';
import type { BlockReason } from './gates/reasons.js';
import type { Report } from './report/report-schema.js';
import { RouteOptionsSchema, type RouteOptions } from './run/route-options.js';
import { createRouteActor as createRouteActorUnchecked, type RouteRun } from './run/run-route.js';

export { routeMachine, ROUTE_STEPS, GATE_NAMES, type GateName, type RouteContext } from '../machines/route.machine.js';
export { BLOCK_REASONS, FAIL_REASONS, type BlockReason, type FailReason } from './gates/reasons.js';
export { DecisionSchema, type Decision } from './inputs/decision.js';
export { AdmissionSchema, ADMISSION_STATUSES, type Admission } from './inputs/admission.js';
export { ReportSchema, REPORT_SCHEMA_VERSION, type Report, type LaneReport } from './report/report-schema.js';
export { jsonSchemaFor, SCHEMA_NAMES, type SchemaName } from './report/json-schemas.js';
export { routeGraph, type RouteGraph, type RouteGraphState, type RouteGraphTransition } from './graph/route-graph.js';
export { runPathOf, type RunPath } from './graph/run-path.js';
export { toMermaid, toGraphJson } from './graph/render-graph.js';
export { verifyEvidence, type EvidenceVerdict } from './report/verify-evidence.js';
export { RouteSetupError, type RouteRun, type RouteResult } from './run/run-route.js';
export { RouteOptionsSchema, DEFAULT_FIXTURE, DEFAULT_OUT_DIR, DEFAULT_TIMEOUT_MS, type RouteOptions } from './run/route-options.js';

// Options that fail their schema: the message names the first bad field.
export class RouteOptionsError extends Error {
  override readonly name = 'RouteOptionsError';
}

// The run ended without a report on disk (the report could not be written). The final state
// says where it stopped.
export class RouteReportError extends Error {
  override readonly name = 'RouteReportError';
  constructor(readonly finalState: string) {
    super(`the run ended in ${finalState} without a report`);
  }
}

export type RunRouteOptions = Omit<RouteOptions, 'mode'>;

function checked<T extends RouteOptions>(options: T): T {
  const parsed = RouteOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RouteOptionsError(`option ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return options;
}

// The route actor with every step's I/O provided, not yet started: subscribe to it, or pass an
// inspection observer (for example @statelyai/inspect's `inspector.inspect.next`), then call
// `actor.start()` and await `done`.
export function createRouteActor(options: RouteOptions, inspect?: (event: InspectionEvent) => void): Promise<RouteRun> {
  return createRouteActorUnchecked(checked(options), inspect);
}

// Runs the whole route and resolves with the report it wrote, whatever its status: a blocked,
// failed or aborted run is a report, not an exception. Rejects only when the options are invalid
// (RouteOptionsError), the run directory cannot be made (RouteSetupError) or no report could be
// written (RouteReportError).
export async function runRoute(options: RunRouteOptions = {}): Promise<Report> {
  const run = await createRouteActor(checked({ ...options, mode: 'run' }));
  run.actor.start();
  const result = await run.done;
  if (!result.report) throw new RouteReportError(result.finalState);
  return result.report;
}

export interface RouteValidation {
  readonly status: 'ready' | 'blocked' | 'aborted';
  readonly blocked: { readonly gate: GateName | 'stepFailed'; readonly reason: BlockReason; readonly detail: string } | null;
  readonly states_visited: readonly string[];
}

// Every pre-start gate, as `case-route validate` runs them: Case is never started and no report
// is written. Meant as a CI pre-check before a real run.
export async function validateRoute(options: Omit<RunRouteOptions, 'outDir' | 'timeoutMs' | 'keepWorkspace'> = {}): Promise<RouteValidation> {
  const states: string[] = [];
  const onState = options.onState;
  const run = await createRouteActor(
    checked({
      ...options,
      mode: 'validate',
      onState: (visit) => {
        states.push(visit.state);
        onState?.(visit);
      },
    }),
  );
  run.actor.start();
  const result = await run.done;
  const blocked = result.context.blocked ?? null;
  const status = blocked ? 'blocked' : result.finalState === 'validated' ? 'ready' : 'aborted';
  return { status, blocked, states_visited: states };
}
