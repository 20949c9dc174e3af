import type { Report } from '../report/report-schema.js';
import type { RouteGraph, RouteGraphTransition } from './route-graph.js';

// Where one run went on the route, as its report records it.
export interface RunPath {
  readonly runId: string;
  readonly status: Report['status'];
  readonly visited: readonly string[];
  readonly finalState: string;
  // The state the run blocked in, the gate that blocked it (null when a step failed outright)
  // and the reason code.
  readonly blocked: { readonly state: string; readonly gate: string | null; readonly reason: string } | null;
  // Indexes into graph.transitions, in the order the run took them.
  readonly taken: readonly number[];
}

function findTaken(graph: RouteGraph, from: string, to: string, blockedGate: string | null): number {
  const candidates = graph.transitions
    .map((transition, index) => ({ transition, index }))
    .filter(({ transition }) => transition.from === from && transition.to === to);
  const pick = (test: (t: RouteGraphTransition) => boolean) => candidates.find(({ transition }) => test(transition))?.index;
  if (to === 'blocked') {
    return (blockedGate ? pick((t) => t.guard === `!${blockedGate}`) : pick((t) => t.event.startsWith('error('))) ?? -1;
  }
  return pick((t) => t.event.startsWith('done(') || t.event === 'ABORT') ?? candidates[0]?.index ?? -1;
}

export function runPathOf(graph: RouteGraph, report: Report): RunPath {
  const visited = report.states_visited.map((visit) => visit.state).filter((state, i, all) => all[i - 1] !== state);
  const blockedGate = report.gates.find((gate) => gate.outcome === 'blocked')?.gate ?? null;
  const blockedIndex = visited.indexOf('blocked');
  const blocked =
    report.status === 'blocked' && report.blocked_reason
      ? { state: blockedIndex > 0 ? visited[blockedIndex - 1]! : visited.at(-1) ?? graph.initial, gate: blockedGate, reason: report.blocked_reason }
      : null;
  const taken = visited
    .slice(1)
    .map((state, i) => findTaken(graph, visited[i]!, state, blockedGate))
    .filter((index) => index >= 0);
  return { runId: report.run_id, status: report.status, visited, finalState: report.final_state, blocked, taken };
}
