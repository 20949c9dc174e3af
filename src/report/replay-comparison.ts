import type { ReplayFacts } from '../replay/replay-facts.js';
import type { LaneReport, Report } from './report-schema.js';
import type { FailFinding } from './verdict.js';

type ReplayComparison = NonNullable<Report['replay']>;

function key(agent: string | null, turn: number): string {
  return `${agent ?? '(no agent)'} turn ${turn}`;
}

// The replay lane against the run it replays: the same requests (each one equivalent to the
// recorded one, none missing), the same agents, the same Stage 2 result. The first request that
// left the recording is named first: every later difference follows from it.
export function compareReplay(facts: ReplayFacts, lane: LaneReport | undefined): ReplayComparison {
  const replayed = {
    stage2_passed: lane?.stage2.passed ?? false,
    agents: lane?.spawn_lines.map((spawn) => spawn.agent ?? '(none)') ?? [],
    requests: lane?.requests_total ?? 0,
  };
  const [diverged] = facts.divergences;
  const [missing] = facts.not_made;
  const first_divergence = diverged
    ? { request: diverged.request, agent: diverged.agent, turn: diverged.turn, path: diverged.path, detail: diverged.detail }
    : missing
      ? { request: missing.request, agent: missing.agent, turn: missing.turn, path: '(request)', detail: 'the recorded request was never made by the replay' }
      : null;
  const differences: string[] = [];
  if (diverged) {
    differences.push(`request ${diverged.request} (${key(diverged.agent, diverged.turn)}) diverged at ${diverged.path}: ${diverged.detail}`);
    if (facts.divergences.length > 1) differences.push(`${facts.divergences.length - 1} more request(s) diverged after it`);
  }
  if (facts.not_made.length > 0) {
    differences.push(`${facts.not_made.length} recorded request(s) never made, the first request ${missing!.request} of the recording (${key(missing!.agent, missing!.turn)})`);
  }
  if (replayed.requests !== facts.recorded.requests) differences.push(`requests: recorded ${facts.recorded.requests}, replayed ${replayed.requests}`);
  if (replayed.agents.join(',') !== facts.recorded.agents.join(',')) {
    differences.push(`agents: recorded ${facts.recorded.agents.join(', ') || 'none'}, replayed ${replayed.agents.join(', ') || 'none'}`);
  }
  if (replayed.stage2_passed !== facts.recorded.stage2_passed) {
    differences.push(`Stage 2: recorded ${facts.recorded.stage2_passed ? 'passed' : 'failed'}, replayed ${replayed.stage2_passed ? 'passed' : 'failed'}`);
  }
  return {
    from_run_id: facts.from_run_id,
    recorded_lane: facts.recorded.lane,
    recorded: { stage2_passed: facts.recorded.stage2_passed, agents: [...facts.recorded.agents], requests: facts.recorded.requests },
    replayed,
    first_divergence,
    differences,
  };
}

export function replayFindings(comparison: ReplayComparison | null): FailFinding[] {
  if (comparison === null || comparison.differences.length === 0) return [];
  return [{ reason: 'replay_diverged', detail: `replay of run ${comparison.from_run_id}: ${comparison.differences.join('; ')}` }];
}
