import type { RouteGraph } from './route-graph.js';
import type { RunPath } from './run-path.js';

export const GRAPH_FORMATS = ['mermaid', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

// Mermaid reads a transition label to the end of its line; state ids and guard names are
// identifiers, so only the separators it gives meaning to need keeping out.
function label(text: string): string {
  return text.replace(/[:;\n\r]/g, ' ');
}

// The states a reader should find in red: where the run blocked, and the end of any run that
// did not pass.
export function stoppedStates(path: RunPath): string[] {
  const states = path.blocked ? [path.blocked.state] : [];
  if (path.status !== 'pass' && !states.includes(path.finalState)) states.push(path.finalState);
  return states;
}

export function toMermaid(graph: RouteGraph, path?: RunPath): string {
  const lines = ['stateDiagram-v2', `  %% generated from the ${graph.machine} machine definition`];
  if (path) lines.push(`  %% run ${label(path.runId)}: ${path.status}, ended in ${label(path.finalState)}`);
  lines.push(`  [*] --> ${graph.initial}`);
  graph.transitions.forEach((t, index) => {
    const text = t.guard ? `${t.event} [${t.guard}]` : t.event;
    const mark = path?.taken.includes(index) ? ' (taken)' : '';
    lines.push(`  ${t.from} --> ${t.to} : ${label(text)}${mark}`);
  });
  for (const state of graph.states.filter((s) => s.final)) lines.push(`  ${state.id} --> [*]`);
  if (path) {
    const known = new Set(graph.states.map((s) => s.id));
    const stopped = stoppedStates(path).filter((state) => known.has(state));
    const visited = path.visited.filter((state) => known.has(state) && !stopped.includes(state));
    lines.push('  classDef visited fill:#dcfce7,stroke:#15803d,color:#14532d');
    lines.push('  classDef stopped fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d,stroke-width:3px');
    if (visited.length > 0) lines.push(`  class ${visited.join(',')} visited`);
    if (stopped.length > 0) lines.push(`  class ${stopped.join(',')} stopped`);
    if (path.blocked) {
      lines.push(`  note right of ${path.blocked.state} : blocked by ${label(path.blocked.gate ?? 'a failed step')} (${label(path.blocked.reason)})`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function toGraphJson(graph: RouteGraph, path?: RunPath): string {
  const visited = new Set(path?.visited ?? []);
  const document = {
    machine: graph.machine,
    initial: graph.initial,
    states: graph.states.map((state) => ({
      ...state,
      ...(path ? { visited: visited.has(state.id), blocked_here: path.blocked?.state === state.id } : {}),
    })),
    transitions: graph.transitions.map((transition, index) => ({
      ...transition,
      ...(path ? { taken: path.taken.includes(index) } : {}),
    })),
    ...(path
      ? { run: { run_id: path.runId, status: path.status, final_state: path.finalState, visited: path.visited, blocked: path.blocked } }
      : {}),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

export function renderGraph(format: GraphFormat, graph: RouteGraph, path?: RunPath): string {
  return format === 'json' ? toGraphJson(graph, path) : toMermaid(graph, path);
}
