import type { FailReason } from './verdict-reasons.js';
import type { LaneEvidence } from '../lanes/lane-types.js';
import type { UpstreamFailure } from '../proxy/upstream-failure.js';

export interface LaneVerdict {
  readonly stage2: { passed: boolean; failures: string[] };
  readonly noFallback: { verdict: boolean; failures: string[] };
}

export interface ProviderErrorGroup {
  readonly kind: UpstreamFailure['kind'];
  // What the recording proxy answered Case: the server's own status, or 502 when it gave none.
  readonly status: number;
  readonly code: string;
  readonly count: number;
  readonly detail: string;
}

function describeFailure(failure: UpstreamFailure, status: number): string {
  switch (failure.kind) {
    case 'connection':
      return `no answer from the local server (${failure.code})`;
    case 'cut':
      return `the answer was cut off (${failure.code})`;
    case 'status':
      return `the local server answered ${status} (${failure.code})`;
    case 'context_exceeded': {
      const prompt = failure.prompt_tokens === null ? 'the request' : `the request (${failure.prompt_tokens} tokens)`;
      const window = failure.context_tokens === null ? 'its context window' : `its context window (${failure.context_tokens} tokens)`;
      return `the local server answered ${status}: ${prompt} exceeds ${window}`;
    }
  }
}

// The local server's failures, grouped by what they were: a failure is the server's, never a
// refusal or a fallback (the request named the admitted model and went only to that server).
export function providerErrors(lane: LaneEvidence): ProviderErrorGroup[] {
  const groups = new Map<string, ProviderErrorGroup>();
  for (const request of lane.requests) {
    const failure = request.upstream_error;
    if (failure === null) continue;
    const detail = describeFailure(failure, request.status);
    const key = JSON.stringify([failure.kind, request.status, detail]);
    const group = groups.get(key);
    groups.set(key, { kind: failure.kind, status: request.status, code: failure.code, count: (group?.count ?? 0) + 1, detail });
  }
  return [...groups.values()];
}

export interface FailFinding {
  readonly reason: FailReason;
  readonly detail: string;
}

// One rule per way a lane can fail, each judged on that lane's own evidence and nothing else: a
// lane is never carried by another. A rule answers a finding or nothing; its `part` says which of
// the lane's two verdicts it counts against: its Stage 2 result, or the no-fallback proof (which
// missing or unreadable evidence fails as surely as a wrong model, but under its own reason code).
type Part = 'stage2' | 'no_fallback' | 'run';

export interface LaneFinding extends FailFinding {
  readonly part: Part;
}

type LaneRule = (lane: LaneEvidence) => LaneFinding | null;

function rule(reason: FailReason, part: Part, check: (lane: LaneEvidence) => string | null): LaneRule {
  return (lane) => {
    const detail = check(lane);
    return detail === null ? null : { reason, part, detail };
  };
}

const distinct = (values: readonly string[]) => [...new Set(values)].join(', ');

// How the lane's process ended.
const PROCESS_RULES: readonly LaneRule[] = [
  rule('case_timeout', 'stage2', (l) => (l.timed_out ? 'timed out; its process tree was killed' : null)),
  rule('case_exit_nonzero', 'stage2', (l) => (!l.timed_out && l.exit_code !== 0 ? `exit ${l.exit_code ?? `by signal ${l.signal ?? 'unknown'}`}` : null)),
];

// What the lane left behind.
const OUTCOME_RULES: readonly LaneRule[] = [
  rule('pipeline_not_completed', 'stage2', (l) => (l.pipeline_outcome !== 'completed' ? `pipeline_end outcome ${l.pipeline_outcome ?? 'missing'}` : null)),
  rule('acceptance_failed', 'stage2', (l) => (!l.acceptance.passed ? `acceptance check ${l.acceptance.ran ? l.acceptance.detail : `did not run: ${l.acceptance.detail}`}` : null)),
];

const NO_FALLBACK_RULES: readonly LaneRule[] = [
  rule('no_model_traffic', 'no_fallback', (l) =>
    l.requests.some((r) => r.refused === null && r.path.endsWith('/chat/completions')) ? null : 'no model request reached the recording proxy',
  ),
  rule('fallback_detected', 'no_fallback', (l) => {
    const others = distinct(l.requests.filter((r) => r.model !== l.mapping.model).map((r) => r.model ?? '(none)'));
    return others ? `requests named other models: ${others}` : null;
  }),
  rule('fallback_detected', 'no_fallback', (l) => {
    const refused = l.requests.filter((r) => r.refused !== null);
    return refused.length > 0 ? `${refused.length} request(s) refused by the recording proxy (${distinct(refused.map((r) => r.refused ?? ''))})` : null;
  }),
  rule('fallback_detected', 'no_fallback', (l) => (l.egress_attempts.length > 0 ? `egress attempted to ${distinct(l.egress_attempts.map((e) => `${e.host}:${e.port}`))}` : null)),
  rule('fallback_detected', 'no_fallback', (l) => {
    const wrong = distinct(l.spawn_lines.filter((s) => s.provider !== l.mapping.case_provider_key || s.model !== l.mapping.model).map((s) => `${s.provider}/${s.model}`));
    return wrong ? `spawn lines named ${wrong}` : null;
  }),
  rule('evidence_unparseable', 'no_fallback', (l) => (l.spawn_lines.length === 0 ? 'Case logged no spawning agent line, so the model it asked for is unproven' : null)),
  rule('evidence_truncated', 'no_fallback', (l) => distinct(l.evidence_problems.filter((p) => p.kind === 'truncated').map((p) => p.detail)) || null),
  rule('evidence_unparseable', 'no_fallback', (l) => distinct(l.evidence_problems.filter((p) => p.kind === 'unparseable').map((p) => p.detail)) || null),
];

// Against the run as a whole, not either of the lane's verdicts.
const RUN_RULES: readonly LaneRule[] = [
  rule('secret_detected', 'run', (l) => (l.history_holds_secret ? 'the workspace git history holds a secret' : null)),
  rule('model_changed', 'run', (l) => (!l.served_after.still_served ? l.served_after.detail : null)),
];

function apply(rules: readonly LaneRule[], lane: LaneEvidence): LaneFinding[] {
  return rules.flatMap((check) => check(lane) ?? []);
}

// A lane that did not pass Stage 2 says, after how its process ended and before what it left,
// what its server did; one that recovered (Case retries) keeps the errors in its report without
// failing on them.
function serverFindings(lane: LaneEvidence): LaneFinding[] {
  return providerErrors(lane).map((group) => ({
    reason: group.kind === 'context_exceeded' ? 'provider_context_exceeded' : 'provider_error',
    part: 'stage2',
    detail: `${group.count} request(s): ${group.detail}`,
  }));
}

// Every finding against one lane, in the order the report lists them.
function laneFindings(lane: LaneEvidence): LaneFinding[] {
  const ended = apply(PROCESS_RULES, lane);
  const left = apply(OUTCOME_RULES, lane);
  const server = ended.length + left.length > 0 ? serverFindings(lane) : [];
  return [...ended, ...server, ...left, ...apply(NO_FALLBACK_RULES, lane), ...apply(RUN_RULES, lane)];
}

export function judgeLane(lane: LaneEvidence): LaneVerdict {
  const findings = laneFindings(lane);
  const of = (part: Part) => findings.filter((f) => f.part === part).map((f) => f.detail);
  return {
    stage2: { passed: of('stage2').length === 0, failures: of('stage2') },
    noFallback: { verdict: of('no_fallback').length === 0, failures: of('no_fallback') },
  };
}

// A lane passes when neither of its verdicts has a finding (the baseline is held to this).
export function lanePassed(verdict: LaneVerdict): boolean {
  return verdict.stage2.passed && verdict.noFallback.verdict;
}

// Every reason a started run does not pass, in a stable order; an empty list is the only pass.
export function failFindings(lanes: readonly LaneEvidence[], expectedLanes: number, supervisionError: string | undefined): FailFinding[] {
  const findings: FailFinding[] = [];
  if (supervisionError) findings.push({ reason: 'lane_error', detail: supervisionError });
  if (lanes.length !== expectedLanes) findings.push({ reason: 'lane_error', detail: `${lanes.length} of ${expectedLanes} lanes reported evidence` });
  for (const lane of lanes) {
    findings.push(...laneFindings(lane).map(({ reason, detail }) => ({ reason, detail: `${lane.lane} lane: ${detail}` })));
    if (lane.role === 'baseline' && !lanePassed(judgeLane(lane))) {
      findings.push({ reason: 'baseline_failed', detail: 'the same-run fake baseline did not pass' });
    }
  }
  return findings;
}
