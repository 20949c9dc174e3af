// The public API: what a harness script imports from 'case-local-route'.
import type { InspectionEvent } from 'xstate';
import type { Report } from './report/report-schema.js';
import { checkRouteOptions, type RouteOptions } from './run/route-options.js';
import { createRouteActor as createRouteActorUnchecked, type RouteRun } from './run/run-route.js';

export { routeMachine, type RouteContext } from '../machines/route.machine.js';
export { ROUTE_STEPS, GATE_NAMES, type GateName } from './gates/route-steps.js';
export { BLOCK_REASONS, type BlockReason } from './gates/reasons.js';
export { FAIL_REASONS, type FailReason } from './report/verdict-reasons.js';
export { DecisionSchema, type Decision } from './inputs/decision.js';
export type { Environment } from './inputs/env-config.js';
export { AdmissionSchema, ADMISSION_STATUSES, type Admission } from './inputs/admission.js';
export { ReportSchema, REPORT_SCHEMA_VERSION, type Report, type LaneReport } from './report/report-schema.js';
export { jsonSchemaFor, SCHEMA_NAMES, type SchemaName } from './report/json-schemas.js';
export { routeGraph, type RouteGraph, type RouteGraphState, type RouteGraphTransition } from './graph/route-graph.js';
export { runPathOf, type RunPath } from './graph/run-path.js';
export { toMermaid, toGraphJson } from './graph/render-graph.js';
export { verifyEvidence, type EvidenceVerdict } from './report/verify-evidence.js';
export { RouteSetupError, type RouteRun, type RouteResult } from './run/run-route.js';
export { RouteOptionsSchema, RouteOptionsError, DEFAULT_FIXTURE, DEFAULT_OUT_DIR, DEFAULT_TIMEOUT_MS, type RouteOptions } from './run/route-options.js';
export { validateRoute, type RouteValidation, type ValidateRouteOptions } from './run/validate-route.js';

// The run ended without a report on disk (the report could not be written). The final state
// says where it stopped.
export class RouteReportError extends Error {
  override readonly name = 'RouteReportError';
  constructor(readonly finalState: string) {
    super(`the run ended in ${finalState} without a report`);
  }
}

export type RunRouteOptions = Omit<RouteOptions, 'mode'>;

// The route actor with every step's I/O provided, not yet started: subscribe to it, or pass an
// inspection observer (for example @statelyai/inspect's `inspector.inspect.next`), then call
// `actor.start()` and await `done`.
export function createRouteActor(options: RouteOptions, inspect?: (event: InspectionEvent) => void): Promise<RouteRun> {
  return createRouteActorUnchecked(checkRouteOptions(options), inspect);
}

// Runs the whole route and resolves with the report it wrote, whatever its status: a blocked,
// failed or aborted run is a report, not an exception. Rejects only when the options are invalid
// (RouteOptionsError), the run directory cannot be made (RouteSetupError) or no report could be
// written (RouteReportError).
export async function runRoute(options: RunRouteOptions = {}): Promise<Report> {
  const run = await createRouteActor({ ...options, mode: 'run' });
  run.actor.start();
  const result = await run.done;
  if (!result.report) throw new RouteReportError(result.finalState);
  return result.report;
}
