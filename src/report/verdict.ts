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
// lane is never carried by another. `part` says which of the lane's two verdicts it counts
// against: its Stage 2 result, or the no-fallback proof (which missing or unreadable evidence
// fails as surely as a wrong model, but under its own reason code).
interface LaneRule {
  readonly reason: FailReason;
  readonly part: 'stage2' | 'no_fallback' | 'run';
  readonly check: (lane: LaneEvidence) => string | null;
}

const distinct = (values: readonly string[]) => [...new Set(values)].join(', ');

const LANE_RULES: readonly LaneRule[] = [
  { reason: 'case_timeout', part: 'stage2', check: (l) => (l.timed_out ? 'timed out; its process tree was killed' : null) },
  {
    reason: 'case_exit_nonzero',
    part: 'stage2',
    check: (l) => (!l.timed_out && l.exit_code !== 0 ? `exit ${l.exit_code ?? `by signal ${l.signal ?? 'unknown'}`}` : null),
  },
  { reason: 'pipeline_not_completed', part: 'stage2', check: (l) => (l.pipeline_outcome !== 'completed' ? `pipeline_end outcome ${l.pipeline_outcome ?? 'missing'}` : null) },
  { reason: 'acceptance_failed', part: 'stage2', check: (l) => (!l.acceptance.passed ? `acceptance check ${l.acceptance.ran ? l.acceptance.detail : `did not run: ${l.acceptance.detail}`}` : null) },
  {
    reason: 'no_model_traffic',
    part: 'no_fallback',
    check: (l) => (l.requests.some((r) => r.refused === null && r.path.endsWith('/chat/completions')) ? null : 'no model request reached the recording proxy'),
  },
  {
    reason: 'fallback_detected',
    part: 'no_fallback',
    check: (l) => {
      const others = distinct(l.requests.filter((r) => r.model !== l.mapping.model).map((r) => r.model ?? '(none)'));
      return others ? `requests named other models: ${others}` : null;
    },
  },
  {
    reason: 'fallback_detected',
    part: 'no_fallback',
    check: (l) => {
      const refused = l.requests.filter((r) => r.refused !== null);
      return refused.length > 0 ? `${refused.length} request(s) refused by the recording proxy (${distinct(refused.map((r) => r.refused ?? ''))})` : null;
    },
  },
  {
    reason: 'fallback_detected',
    part: 'no_fallback',
    check: (l) => (l.egress_attempts.length > 0 ? `egress attempted to ${distinct(l.egress_attempts.map((e) => `${e.host}:${e.port}`))}` : null),
  },
  {
    reason: 'fallback_detected',
    part: 'no_fallback',
    check: (l) => {
      const wrong = distinct(l.spawn_lines.filter((s) => s.provider !== l.mapping.case_provider_key || s.model !== l.mapping.model).map((s) => `${s.provider}/${s.model}`));
      return wrong ? `spawn lines named ${wrong}` : null;
    },
  },
  {
    reason: 'evidence_unparseable',
    part: 'no_fallback',
    check: (l) => (l.spawn_lines.length === 0 ? 'Case logged no spawning agent line, so the model it asked for is unproven' : null),
  },
  {
    reason: 'evidence_truncated',
    part: 'no_fallback',
    check: (l) => distinct(l.evidence_problems.filter((p) => p.kind === 'truncated').map((p) => p.detail)) || null,
  },
  {
    reason: 'evidence_unparseable',
    part: 'no_fallback',
    check: (l) => distinct(l.evidence_problems.filter((p) => p.kind === 'unparseable').map((p) => p.detail)) || null,
  },
  { reason: 'secret_detected', part: 'run', check: (l) => (l.history_holds_secret ? 'the workspace git history holds a secret' : null) },
  { reason: 'model_changed', part: 'run', check: (l) => (!l.served_after.still_served ? l.served_after.detail : null) },
];

// A lane that did not pass says, just before the rest of its Stage 2 failures, what its server
// did; one that recovered (Case retries) keeps the errors in its report without failing on them.
function laneFindings(lane: LaneEvidence): Array<FailFinding & { part: LaneRule['part'] }> {
  const findings = LANE_RULES.flatMap((rule) => {
    const detail = rule.check(lane);
    return detail === null ? [] : [{ reason: rule.reason, part: rule.part, detail }];
  });
  if (!findings.some((f) => f.part === 'stage2')) return findings;
  const server = providerErrors(lane).map((group) => ({
    reason: group.kind === 'context_exceeded' ? ('provider_context_exceeded' as const) : ('provider_error' as const),
    part: 'stage2' as const,
    detail: `${group.count} request(s): ${group.detail}`,
  }));
  const at = findings.findIndex((f) => f.reason === 'pipeline_not_completed' || f.reason === 'acceptance_failed' || f.part !== 'stage2');
  return [...findings.slice(0, at < 0 ? findings.length : at), ...server, ...findings.slice(at < 0 ? findings.length : at)];
}

export function judgeLane(lane: LaneEvidence): LaneVerdict {
  const findings = laneFindings(lane);
  const of = (part: LaneRule['part']) => findings.filter((f) => f.part === part).map((f) => f.detail);
  return {
    stage2: { passed: of('stage2').length === 0, failures: of('stage2') },
    noFallback: { verdict: of('no_fallback').length === 0, failures: of('no_fallback') },
  };
}

// Every reason a started run does not pass, in a stable order; an empty list is the only pass.
export function failFindings(lanes: readonly LaneEvidence[], expectedLanes: number, supervisionError: string | undefined): FailFinding[] {
  const findings: FailFinding[] = [];
  if (supervisionError) findings.push({ reason: 'lane_error', detail: supervisionError });
  if (lanes.length !== expectedLanes) findings.push({ reason: 'lane_error', detail: `${lanes.length} of ${expectedLanes} lanes reported evidence` });
  for (const lane of lanes) {
    const own = laneFindings(lane);
    findings.push(...own.map(({ reason, detail }) => ({ reason, detail: `${lane.lane} lane: ${detail}` })));
    if (lane.role === 'baseline' && own.some((f) => f.part !== 'run')) {
      findings.push({ reason: 'baseline_failed', detail: 'the same-run fake baseline did not pass' });
    }
  }
  return findings;
}
