import type { FailReason } from '../gates/reasons.js';
import type { LaneEvidence } from '../lanes/lane-types.js';
import type { UpstreamFailure } from '../provider/upstream-failure.js';

export interface LaneVerdict {
  readonly stage2: { passed: boolean; failures: string[] };
  readonly noFallback: { verdict: boolean; failures: string[] };
}

// No fallback is proven only by positive evidence: at least one model request, every one of them
// for the admitted model and none refused, no egress, and every spawn line naming the adapter's
// provider key and the admitted model. Missing evidence counts against the lane.
export function judgeNoFallback(lane: LaneEvidence): LaneVerdict['noFallback'] {
  const { model, case_provider_key: providerKey } = lane.mapping;
  const failures: string[] = [];
  const forwarded = lane.requests.filter((r) => r.refused === null && r.path.endsWith('/chat/completions'));
  if (forwarded.length === 0) failures.push('no model request reached the recording proxy');
  const otherModels = [...new Set(lane.requests.filter((r) => r.model !== model).map((r) => r.model ?? '(none)'))];
  if (otherModels.length > 0) failures.push(`requests named other models: ${otherModels.join(', ')}`);
  const refused = lane.requests.filter((r) => r.refused !== null);
  if (refused.length > 0) failures.push(`${refused.length} request(s) refused by the recording proxy (${[...new Set(refused.map((r) => r.refused))].join(', ')})`);
  if (lane.egress_attempts.length > 0) {
    failures.push(`egress attempted to ${[...new Set(lane.egress_attempts.map((e) => `${e.host}:${e.port}`))].join(', ')}`);
  }
  if (lane.spawn_lines.length === 0) failures.push('Case logged no spawning agent line');
  const wrongSpawns = lane.spawn_lines.filter((s) => s.provider !== providerKey || s.model !== model);
  if (wrongSpawns.length > 0) {
    failures.push(`spawn lines named ${[...new Set(wrongSpawns.map((s) => `${s.provider}/${s.model}`))].join(', ')}`);
  }
  return { verdict: failures.length === 0, failures };
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

export function judgeStage2(lane: LaneEvidence): LaneVerdict['stage2'] {
  const failures: string[] = [];
  if (lane.timed_out) failures.push('timed out');
  if (lane.exit_code !== 0) failures.push(`exit ${lane.exit_code ?? `by signal ${lane.signal ?? 'unknown'}`}`);
  if (lane.pipeline_outcome !== 'completed') failures.push(`pipeline_end outcome ${lane.pipeline_outcome ?? 'missing'}`);
  if (!lane.acceptance.passed) failures.push(lane.acceptance.ran ? `acceptance check exit ${lane.acceptance.exit_code}` : 'acceptance check did not run');
  return { passed: failures.length === 0, failures };
}

export function judgeLane(lane: LaneEvidence): LaneVerdict {
  return { stage2: judgeStage2(lane), noFallback: judgeNoFallback(lane) };
}

export interface FailFinding {
  readonly reason: FailReason;
  readonly detail: string;
}

// Every reason a started run does not pass, in a stable order; an empty list is the only pass.
export function failFindings(lanes: readonly LaneEvidence[], expectedLanes: number, supervisionError: string | undefined): FailFinding[] {
  const findings: FailFinding[] = [];
  if (supervisionError) findings.push({ reason: 'lane_error', detail: supervisionError });
  if (lanes.length !== expectedLanes) findings.push({ reason: 'lane_error', detail: `${lanes.length} of ${expectedLanes} lanes reported evidence` });
  for (const lane of lanes) {
    const { stage2, noFallback } = judgeLane(lane);
    const name = `${lane.lane} lane`;
    if (lane.timed_out) findings.push({ reason: 'case_timeout', detail: `${name} timed out; its process tree was killed` });
    else if (lane.exit_code !== 0) findings.push({ reason: 'case_exit_nonzero', detail: `${name}: exit ${lane.exit_code ?? `by signal ${lane.signal}`}` });
    // A lane that did not pass says first what its server did; one that recovered (Case retries)
    // keeps the errors in its report without failing on them.
    if (!stage2.passed) {
      for (const group of providerErrors(lane)) {
        findings.push({ reason: group.kind === 'context_exceeded' ? 'provider_context_exceeded' : 'provider_error', detail: `${name}: ${group.count} request(s): ${group.detail}` });
      }
    }
    if (lane.pipeline_outcome !== 'completed') findings.push({ reason: 'pipeline_not_completed', detail: `${name}: pipeline_end outcome ${lane.pipeline_outcome ?? 'missing'}` });
    if (!lane.acceptance.passed) findings.push({ reason: 'acceptance_failed', detail: `${name}: ${stage2.failures.filter((f) => f.startsWith('acceptance')).join('; ') || 'acceptance check failed'}` });
    if (!noFallback.verdict) findings.push({ reason: 'fallback_detected', detail: `${name}: ${noFallback.failures.join('; ')}` });
    if (lane.history_holds_secret) findings.push({ reason: 'secret_detected', detail: `${name}: the workspace git history holds a secret (or could not be read)` });
    if (!lane.served_after.still_served) findings.push({ reason: 'model_changed', detail: `${name}: ${lane.served_after.detail}` });
    if (lane.role === 'baseline' && !(stage2.passed && noFallback.verdict)) {
      findings.push({ reason: 'baseline_failed', detail: 'the same-run fake baseline did not pass' });
    }
  }
  return findings;
}
