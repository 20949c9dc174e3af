import { z } from 'zod';
import { jsonOrUndefined } from '../evidence/json-or-undefined.js';
import { FIRST_ERROR_SOURCES } from '../evidence/first-error.js';
import { BLOCK_REASON_CODES } from '../gates/reasons.js';
import { LaneMetricsSchema } from './request-metrics.js';
import { FAIL_REASONS, NOT_EVIDENCE_REASONS, type FailReason, type NotEvidenceReason } from './verdict-reasons.js';

export const REPORT_SCHEMA_VERSION = 2;

const FAIL_REASON_CODES = Object.keys(FAIL_REASONS) as [FailReason, ...FailReason[]];
const NOT_EVIDENCE_CODES = Object.keys(NOT_EVIDENCE_REASONS) as [NotEvidenceReason, ...NotEvidenceReason[]];

const FirstErrorSchema = z.object({ source: z.enum(FIRST_ERROR_SOURCES), message: z.string() });
const CommandFilesSchema = z.array(z.object({ name: z.string(), sha256: z.string().nullable() }));

// What the run is evidence of, derived from the rest of the report by src/report/claim.ts alone.
export const ClaimSchema = z.object({
  // `real`: a real-lane pass, its same-run baseline passing, its lane isolated, against a model
  // server that is not a replay. `route_validation`: any other pass. `none`: no pass.
  stage2_evidence: z.enum(['real', 'route_validation', 'none']),
  // The decision record's work item, and whether this run is the real Stage 2 pass evidence it
  // waits for. The route never writes the decision record or the admission file.
  work_item: z.object({ work_id: z.string().nullable(), real_pass_evidence: z.boolean() }),
  // Every reason this run is not that evidence; empty exactly when it is.
  not_evidence_because: z.array(z.object({ reason: z.enum(NOT_EVIDENCE_CODES), detail: z.string() })),
  // The primary lane's Case command as run (null on the fake lane): the route cannot prove the
  // program is WorkOS Case, so it names the bytes that ran.
  case_command: CommandFilesSchema.nullable(),
  // The claim in words: the first line of the CLI summary, the HTML and `verify`.
  statement: z.string(),
});

const LANE_NAMES = ['fake', 'real', 'replay'] as const;

const LaneReportSchema = z.object({
  lane: z.enum(LANE_NAMES),
  role: z.enum(['primary', 'baseline']),
  isolation: z.object({ mode: z.enum(['namespaces', 'off']), detail: z.string() }),
  fixture: z.object({ name: z.string(), tree_sha256: z.string() }),
  model_mapping: z.object({ logical_provider: z.string(), case_provider_key: z.string(), model: z.string() }),
  started_at: z.string(),
  upstream: z.object({
    source: z.enum(['admitted_server', 'harness_scripted_provider', 'harness_replay_provider']),
    base_url: z.string(),
    server_kind: z.string(),
    server_version: z.string().nullable(),
  }),
  exit_code: z.number().nullable(),
  signal: z.string().nullable(),
  timed_out: z.boolean(),
  duration_ms: z.number(),
  requests_total: z.number(),
  requests_by_model: z.record(z.string(), z.number()),
  responses_by_status: z.record(z.string(), z.number()),
  provider_errors: z.array(
    z.object({ kind: z.enum(['connection', 'cut', 'status', 'context_exceeded']), status: z.number(), code: z.string(), count: z.number(), detail: z.string() }),
  ),
  rejected_requests: z.array(z.object({ reason: z.string(), path: z.string(), model: z.string().nullable(), status: z.number() })),
  egress_attempts: z.array(z.object({ host: z.string(), port: z.number() })),
  spawn_lines: z.array(z.object({ agent: z.string().nullable(), provider: z.string().nullable(), model: z.string().nullable() })),
  pipeline_outcome: z.string().nullable(),
  phases: z.array(z.object({ phase: z.string(), agent: z.string().nullable(), started_at: z.string(), ended_at: z.string().nullable(), outcome: z.string().nullable() })),
  transcript_kept: z.boolean(),
  acceptance: z.object({ ran: z.boolean(), passed: z.boolean(), exit_code: z.number().nullable(), detail: z.string(), output_tail: z.string() }),
  evidence_problems: z.array(z.object({ kind: z.enum(['truncated', 'unparseable']), detail: z.string() })),
  pull_requests: z.number(),
  refused_gh_calls: z.number(),
  history_holds_secret: z.boolean(),
  served_after: z.object({ checked: z.boolean(), still_served: z.boolean(), detail: z.string() }),
  timeline: z.array(z.object({ at: z.string(), event: z.string() })),
  metrics: LaneMetricsSchema,
  stage2: z.object({ passed: z.boolean(), failures: z.array(z.string()) }),
  no_fallback: z.object({ verdict: z.boolean(), failures: z.array(z.string()) }),
  case_command: CommandFilesSchema.nullable(),
  first_error: FirstErrorSchema.nullable(),
});

const ReplaySideSchema = z.object({ stage2_passed: z.boolean(), agents: z.array(z.string()), requests: z.number() });

export const ReportSchema = z.object({
  schema_version: z.literal(REPORT_SCHEMA_VERSION),
  run_id: z.string(),
  status: z.enum(['pass', 'fail', 'blocked', 'aborted']),
  claim: ClaimSchema,
  // Why a failed run failed, in the lane's own words: the first error of the primary lane, else
  // of the baseline; null unless the run failed and a lane said something.
  first_error: FirstErrorSchema.extend({ lane: z.enum(LANE_NAMES) }).nullable(),
  blocked_reason: z.enum(BLOCK_REASON_CODES as [string, ...string[]]).nullable(),
  blocked_detail: z.string().nullable(),
  fail_reasons: z.array(z.object({ reason: z.enum(FAIL_REASON_CODES), detail: z.string() })),
  final_state: z.string(),
  states_visited: z.array(z.object({ state: z.string(), at: z.string() })),
  gates: z.array(z.object({ gate: z.string(), outcome: z.enum(['passed', 'blocked', 'not_reached']) })),
  case_process_started: z.boolean(),
  lane: z.enum(LANE_NAMES),
  started_at: z.string(),
  finished_at: z.string(),
  decision_ref: z.object({ work_id: z.string(), sha256: z.string() }).nullable(),
  admission_ref: z.object({ sha256: z.string() }).nullable(),
  decision_status: z.string().nullable(),
  provider_class: z.string().nullable(),
  case_model_provider: z.string().nullable(),
  case_model: z.string().nullable(),
  case_model_admission_status: z.string().nullable(),
  case_provider_key: z.string().nullable(),
  preflight: z
    .object({
      reachable: z.boolean(),
      server_kind: z.string(),
      models_listed: z.array(z.string()),
      model_aliases: z.record(z.string(), z.array(z.string())),
      server_version: z.string().nullable(),
      health_status: z.number().nullable(),
      server_check: z.object({ ok: z.boolean(), detail: z.string() }).nullable(),
      context_window: z.object({ tokens: z.number().nullable(), source: z.string() }),
    })
    .nullable(),
  fixture: z.object({ name: z.string(), tree_sha256: z.string().nullable() }).nullable(),
  lanes: z.array(LaneReportSchema),
  no_fallback: z.object({ verdict: z.boolean(), evidence: z.array(z.string()) }),
  baseline_comparison: z
    .object({ baseline_passed: z.boolean(), differences: z.array(z.string()) })
    .nullable(),
  redactions: z.object({ count: z.number() }),
  // The replay lane against the recorded run it replayed (src/report/replay-comparison.ts); null
  // on every other lane.
  replay: z
    .object({
      from_run_id: z.string(),
      recorded_lane: z.string(),
      recorded: ReplaySideSchema,
      replayed: ReplaySideSchema,
      first_divergence: z
        .object({ request: z.number(), agent: z.string().nullable(), turn: z.number(), path: z.string(), detail: z.string() })
        .nullable(),
      differences: z.array(z.string()),
    })
    .nullable(),
});

export type Report = z.infer<typeof ReportSchema>;
export type Claim = z.infer<typeof ClaimSchema>;
export type LaneReport = z.infer<typeof LaneReportSchema>;

// report.json's text as a report of this version, or why it is not one: the one reading that
// `verify`, `runs` and a replay's recording share, so they name an old or foreign report alike.
export function parseReport(text: string): { ok: true; report: Report } | { ok: false; problem: string } {
  const json = jsonOrUndefined(text);
  if (json === undefined) return { ok: false, problem: 'is not JSON' };
  const parsed = ReportSchema.safeParse(json);
  if (parsed.success) return { ok: true, report: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, problem: `is not a case-route report of this version (${issue?.path.join('.') || 'the record'}: ${issue?.message ?? 'invalid'})` };
}
