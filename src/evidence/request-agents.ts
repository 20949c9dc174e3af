import type { CasePhase } from './case-phases.js';

// Which Case agent (implementer, verifier, reviewer, closer, retrospective, ...) a model request
// belongs to. Case's requests carry no agent name, so it is matched by time: the request's
// arrival at the recording proxy against when each agent ran. A reading aid for the report,
// never evidence: the verdict does not use it, and what it is read from is the lane's own word.

// How a request's agent was found: inside one agent's phase in Case's events, or (outside every
// phase, or without events) after the last spawn line the harness saw before it.
export type AgentBasis = 'case_events' | 'spawn_line';

export interface RequestAgent {
  readonly agent: string | null;
  readonly agent_basis: AgentBasis | null;
}

export interface SpawnSeen {
  readonly agent: string | null;
  readonly at: string;
}

// When the harness saw each spawn line: the lane's timeline holds one `case.spawn_line` entry per
// line as it streamed by, in order; the lines themselves are read from the lane's output after it.
// They are paired only when the counts agree (Case writes every spawn line to one stream, so the
// orders agree too); otherwise nothing is claimed.
export function spawnsSeen(timeline: ReadonlyArray<{ readonly at: string; readonly event: string }>, lines: ReadonlyArray<{ readonly agent: string | null }>): SpawnSeen[] {
  const seen = timeline.filter((entry) => entry.event === 'case.spawn_line');
  if (seen.length !== lines.length) return [];
  return seen.map((entry, index) => ({ agent: lines[index]!.agent, at: entry.at }));
}

// Case's phases (src/evidence/case-phases.ts) are the agents' runs: a phase without an agent says
// nothing about whose request it was.
export function requestAgent(time: string, phases: readonly CasePhase[], spawns: readonly SpawnSeen[]): RequestAgent {
  const at = Date.parse(time);
  const inside = new Set(
    phases
      .filter((phase) => phase.agent !== null && Date.parse(phase.started_at) <= at && (phase.ended_at === null || at <= Date.parse(phase.ended_at)))
      .map((phase) => phase.agent),
  );
  // Phases that overlap (Case can run agents side by side) leave a request in both unattributed.
  if (inside.size === 1) return { agent: [...inside][0]!, agent_basis: 'case_events' };
  if (inside.size > 1) return { agent: null, agent_basis: null };
  const last = spawns.filter((spawn) => Date.parse(spawn.at) <= at).at(-1);
  return last?.agent ? { agent: last.agent, agent_basis: 'spawn_line' } : { agent: null, agent_basis: null };
}
