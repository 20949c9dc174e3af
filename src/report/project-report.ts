import type { RouteContext } from '../../machines/route.machine.js';
import { ROUTE_STEPS } from '../gates/route-steps.js';
import { lanesFor } from '../lanes/lane-types.js';
import type { LaneEvidence } from '../lanes/lane-types.js';
import type { ReportDraft } from './claim.js';
import { REPORT_SCHEMA_VERSION, type LaneReport, type Report } from './report-schema.js';
import { laneMetrics } from './request-metrics.js';
import { failFindings, judgeLane, providerErrors, type FailFinding } from './verdict.js';
import { compareReplay, replayFindings } from './replay-comparison.js';
import type { ReplayFacts } from '../replay/replay-facts.js';

export interface StateVisit {
  readonly state: string;
  readonly at: string;
}

// Everything a report is made from. A report is a pure projection of these facts: no field of it
// is passed in as a conclusion.
export interface RunFacts {
  readonly runId: string;
  readonly context: RouteContext;
  readonly finalState: string;
  readonly visits: readonly StateVisit[];
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly aborted: boolean;
  readonly redactionCount: number;
  readonly artifactFindings: readonly FailFinding[];
  // The replay lane's recorded run and how the replay went; absent on other lanes.
  readonly replay?: ReplayFacts;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

// The admitted server is named as the preflight identified it; the baseline's is the harness's own.
function laneUpstream(lane: LaneEvidence, context: RouteContext): LaneReport['upstream'] {
  if (lane.upstream.source === 'harness_scripted_provider') {
    return { ...lane.upstream, server_kind: 'case-route scripted provider', server_version: null };
  }
  if (lane.upstream.source === 'harness_replay_provider') {
    return { ...lane.upstream, server_kind: 'case-route replay provider', server_version: null };
  }
  return { ...lane.upstream, server_kind: context.preflight?.server_kind ?? 'unknown', server_version: context.preflight?.server_version ?? null };
}

function laneReport(lane: LaneEvidence, context: RouteContext): LaneReport {
  const verdict = judgeLane(lane);
  const forwarded = lane.requests.filter((r) => r.refused === null);
  return {
    lane: lane.lane,
    role: lane.role,
    isolation: lane.isolation,
    fixture: lane.fixture,
    model_mapping: lane.mapping,
    started_at: lane.started_at,
    upstream: laneUpstream(lane, context),
    exit_code: lane.exit_code,
    signal: lane.signal,
    timed_out: lane.timed_out,
    duration_ms: lane.duration_ms,
    requests_total: lane.requests.length,
    requests_by_model: countBy(lane.requests, (r) => r.model ?? '(none)'),
    responses_by_status: countBy(forwarded, (r) => String(r.status)),
    provider_errors: providerErrors(lane),
    rejected_requests: lane.requests
      .filter((r) => r.refused !== null)
      .map((r) => ({ reason: r.refused!, path: r.path, model: r.model, status: r.status })),
    egress_attempts: lane.egress_attempts.map((e) => ({ host: e.host, port: e.port })),
    spawn_lines: [...lane.spawn_lines],
    pipeline_outcome: lane.pipeline_outcome,
    phases: [...lane.phases],
    transcript_kept: lane.transcript_kept,
    acceptance: lane.acceptance,
    evidence_problems: [...lane.evidence_problems],
    pull_requests: lane.pull_requests,
    refused_gh_calls: lane.refused_gh_calls,
    history_holds_secret: lane.history_holds_secret,
    served_after: lane.served_after,
    timeline: [...lane.timeline],
    metrics: laneMetrics(lane),
    stage2: verdict.stage2,
    no_fallback: verdict.noFallback,
    case_command: lane.case_command ? [...lane.case_command] : null,
    first_error: lane.first_error,
  };
}

// A failed run says why in the lane's own words: the primary lane's first error, else the
// baseline's (a real lane can pass while its baseline does not).
function firstErrorOf(lanes: readonly LaneReport[]): Report['first_error'] {
  const lane = [...lanes].sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1)).find((l) => l.first_error !== null);
  return lane?.first_error ? { lane: lane.lane, ...lane.first_error } : null;
}

type GateOutcome = Report['gates'][number]['outcome'];

// The gate at `index` of a step whose gates all passed, or that blocked at `blockedAt` (-1: it
// did not block there).
function gateOutcome(index: number, blockedAt: number, stepPassed: boolean): GateOutcome {
  if (stepPassed) return 'passed';
  if (blockedAt < 0 || index > blockedAt) return 'not_reached';
  return index < blockedAt ? 'passed' : 'blocked';
}

function gateOutcomes(context: RouteContext, visited: ReadonlySet<string>): Report['gates'] {
  return ROUTE_STEPS.flatMap((step) => {
    const blockedAt = step.gates.findIndex((gate) => gate === context.blocked?.gate);
    return step.gates.map((gate, index) => ({ gate, outcome: gateOutcome(index, blockedAt, visited.has(step.next)) }));
  });
}

function statusOf(facts: RunFacts, started: boolean, findings: readonly FailFinding[], lanes: readonly LaneReport[]): Report['status'] {
  if (facts.aborted) return 'aborted';
  if (facts.context.blocked) return 'blocked';
  if (started && findings.length === 0 && lanes.length > 0) return 'pass';
  return 'fail';
}

// What the no-fallback verdict rests on: each lane's proof, or what is missing from it.
function noFallbackEvidence(started: boolean, lanes: readonly LaneReport[], failures: readonly string[]): string[] {
  if (!started) return ['Case was not started'];
  if (failures.length > 0) return [...failures];
  if (lanes.length === 0) return ['no lane evidence'];
  return lanes.map(
    (l) =>
      `${l.lane} lane: ${l.requests_total} request(s), all for ${l.model_mapping.model}; ${l.spawn_lines.length} spawn line(s) naming ${l.model_mapping.case_provider_key}/${l.model_mapping.model}; no refusals; no egress`,
  );
}

function compareBaseline(lanes: readonly LaneReport[]): Report['baseline_comparison'] {
  const primary = lanes.find((l) => l.role === 'primary');
  const baseline = lanes.find((l) => l.role === 'baseline');
  if (!primary || !baseline) return null;
  const differences: string[] = [];
  const compare = (label: string, a: unknown, b: unknown) => {
    const [left, right] = [JSON.stringify(a), JSON.stringify(b)];
    if (left !== right) differences.push(`${label}: ${primary.lane} ${left}, baseline ${right}`);
  };
  compare('exit_code', primary.exit_code, baseline.exit_code);
  compare('pipeline_outcome', primary.pipeline_outcome, baseline.pipeline_outcome);
  compare('acceptance passed', primary.acceptance.passed, baseline.acceptance.passed);
  compare('requests_by_model', Object.keys(primary.requests_by_model).sort(), Object.keys(baseline.requests_by_model).sort());
  compare('rejected_requests', primary.rejected_requests.length, baseline.rejected_requests.length);
  compare('egress_attempts', primary.egress_attempts.length, baseline.egress_attempts.length);
  compare('spawn models', [...new Set(primary.spawn_lines.map((s) => `${s.provider}/${s.model}`))], [...new Set(baseline.spawn_lines.map((s) => `${s.provider}/${s.model}`))]);
  compare('no_fallback', primary.no_fallback.verdict, baseline.no_fallback.verdict);
  return { baseline_passed: baseline.stage2.passed && baseline.no_fallback.verdict, differences };
}

export function projectReport(facts: RunFacts): ReportDraft {
  const { context } = facts;
  const visited = new Set(facts.visits.map((v) => v.state));
  const started = visited.has('case_process_started');
  const lanes = (context.lanes?.lanes ?? []).map((lane) => laneReport(lane, context));
  const findings: FailFinding[] = started
    ? failFindings(context.lanes?.lanes ?? [], lanesFor(context.lane).length, context.lanes?.error)
    : [];
  const replay = facts.replay ? compareReplay(facts.replay, lanes.find((l) => l.role === 'primary')) : null;
  if (started) findings.push(...replayFindings(replay));
  findings.push(...facts.artifactFindings);
  const status = statusOf(facts, started, findings, lanes);
  const noFallbackFailures = lanes.flatMap((l) => l.no_fallback.failures.map((f) => `${l.lane} lane: ${f}`));
  const admitted = context.admission;
  return {
    schema_version: REPORT_SCHEMA_VERSION,
    run_id: facts.runId,
    status,
    first_error: status === 'fail' ? firstErrorOf(lanes) : null,
    blocked_reason: context.blocked?.reason ?? null,
    blocked_detail: context.blocked?.detail ?? null,
    fail_reasons: status === 'fail' ? findings : [],
    final_state: facts.finalState,
    states_visited: [...facts.visits],
    gates: gateOutcomes(context, visited),
    case_process_started: started,
    lane: context.lane,
    started_at: facts.startedAt,
    finished_at: facts.finishedAt,
    decision_ref: context.decision ? { work_id: context.decision.work_id, sha256: context.decisionSha256 ?? '' } : null,
    admission_ref: context.admissionSha256 ? { sha256: context.admissionSha256 } : null,
    decision_status: context.decision?.decision_status ?? null,
    provider_class: context.decision?.provider_class ?? null,
    case_model_provider: admitted?.provider ?? null,
    case_model: admitted?.model ?? null,
    case_model_admission_status: admitted?.admission_status ?? null,
    case_provider_key: lanes[0]?.model_mapping.case_provider_key ?? null,
    preflight: context.preflight
      ? {
          reachable: context.preflight.reachable,
          server_kind: context.preflight.server_kind,
          models_listed: context.preflight.models_listed,
          model_aliases: context.preflight.model_aliases,
          server_version: context.preflight.server_version,
          health_status: context.preflight.health_status,
          server_check: context.preflight.server_check,
          context_window: context.preflight.context_window,
        }
      : null,
    fixture: context.setup ? { name: context.setup.fixture.name, tree_sha256: context.setup.fixture.tree_sha256 } : null,
    lanes,
    no_fallback: {
      verdict: started && lanes.length > 0 && noFallbackFailures.length === 0,
      evidence: noFallbackEvidence(started, lanes, noFallbackFailures),
    },
    baseline_comparison: compareBaseline(lanes),
    redactions: { count: facts.redactionCount },
    replay,
  };
}
