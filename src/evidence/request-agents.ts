import type { CaseEvents } from './case-observations.js';

// Which Case agent (implementer, verifier, reviewer, closer, retrospective, ...) a model request
// belongs to. Case's requests carry no agent name, so it is matched by time: the request's
// arrival at the recording proxy against when each agent ran. A reading aid for the report,
// never evidence: the verdict does not use it, and what it is read from is the lane's own word.

// One agent's run, from Case's `phase_start` / `phase_end` events (`agent`, `ts`).
export interface AgentPhase {
  readonly agent: string;
  readonly started_at: string;
  // null when Case wrote no phase_end for it (the lane was stopped, or crashed).
  readonly ended_at: string | null;
}

// How a request's agent was found: inside one agent's phase in Case's events, or (outside every
// phase, or without events) after the last spawn line the harness saw before it.
export type AgentBasis = 'case_events' | 'spawn_line';

export interface RequestAgent {
  readonly agent: string | null;
  readonly agent_basis: AgentBasis | null;
}

const MAX_AGENT_NAME = 64;

function eventOf(line: string): Record<string, unknown> | null {
  if (!line.includes('"phase_')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isTime = (value: unknown): value is string => typeof value === 'string' && Number.isFinite(Date.parse(value));

// Each agent's phases, in the order Case started them. A phase_end closes the open phase of the
// same agent; events without an agent or a readable time are skipped.
export function agentPhases(events: CaseEvents): AgentPhase[] {
  const phases: Array<{ agent: string; started_at: string; ended_at: string | null }> = [];
  for (const { text } of events.files) {
    for (const line of text.split('\n')) {
      const event = eventOf(line);
      if (event === null || typeof event['agent'] !== 'string' || !isTime(event['ts'])) continue;
      const agent = event['agent'].slice(0, MAX_AGENT_NAME);
      if (event['event'] === 'phase_start') phases.push({ agent, started_at: event['ts'], ended_at: null });
      if (event['event'] === 'phase_end') {
        const open = [...phases].reverse().find((phase) => phase.agent === agent && phase.ended_at === null);
        if (open) open.ended_at = event['ts'];
      }
    }
  }
  return phases;
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

export function requestAgent(time: string, phases: readonly AgentPhase[], spawns: readonly SpawnSeen[]): RequestAgent {
  const at = Date.parse(time);
  const inside = new Set(
    phases.filter((phase) => Date.parse(phase.started_at) <= at && (phase.ended_at === null || at <= Date.parse(phase.ended_at))).map((phase) => phase.agent),
  );
  // Phases that overlap (Case can run agents side by side) leave a request in both unattributed.
  if (inside.size === 1) return { agent: [...inside][0]!, agent_basis: 'case_events' };
  if (inside.size > 1) return { agent: null, agent_basis: null };
  const last = spawns.filter((spawn) => Date.parse(spawn.at) <= at).at(-1);
  return last?.agent ? { agent: last.agent, agent_basis: 'spawn_line' } : { agent: null, agent_basis: null };
}
