// The public API: what a harness script imports from 'case-local-route'.
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
export {
  createRouteActor,
  runRoute,
  validateRoute,
  RouteReportError,
  type RouteValidation,
  type RunRouteOptions,
  type ValidateRouteOptions,
} from './run/route-api.js';
