import type { FailReason } from '../gates/reasons.js';
import type { LaneEvidence } from '../lanes/lane-types.js';

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
