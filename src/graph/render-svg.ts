import { esc } from '../report/html-escape.js';
import { happyPath, type RouteGraph } from './route-graph.js';
import { stoppedStates } from './render-graph.js';
import type { RunPath } from './run-path.js';
import { stepLabel } from './step-labels.js';

// The route drawn by hand as inline SVG, so that a page can show it with no script and no
// renderer: the way through when every step succeeds is a column, the other final states
// (blocked, aborted, ...) a column beside it, one edge per pair of states however many guards
// lead along it. Colours come from classes (ROUTE_SVG_STYLE), so a page with a strict CSP can
// restyle it, and the live view lights a state by toggling its class.

const MAIN_X = 10;
const SIDE_X = 360;
const TOP = 34;
const NODE_W = 260;
const SIDE_W = 330;
const NODE_H = 46;
const ROW = 68;

export interface SvgMarks {
  readonly visited: readonly string[];
  readonly stopped: readonly string[];
  // Pairs of states the run went from one to the other.
  readonly taken: ReadonlyArray<readonly [string, string]>;
  readonly note: string | null;
}

export function marksOf(graph: RouteGraph, path: RunPath): SvgMarks {
  return {
    visited: path.visited,
    stopped: stoppedStates(path),
    taken: path.taken.map((index) => [graph.transitions[index]!.from, graph.transitions[index]!.to] as const),
    note: path.blocked ? `by ${path.blocked.gate ?? 'a failed step'} (${path.blocked.reason})` : null,
  };
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
}

// Side states sit level with the mean of the rows that lead to them, pushed down so that no two
// overlap.
function layout(graph: RouteGraph): Map<string, Box> {
  const main = happyPath(graph);
  const boxes = new Map<string, Box>();
  main.forEach((state, row) => boxes.set(state, { x: MAIN_X, y: TOP + row * ROW, w: NODE_W }));
  const side = graph.states
    .map((state) => state.id)
    .filter((id) => !main.includes(id))
    .map((id) => {
      const rows = graph.transitions.filter((t) => t.to === id && main.includes(t.from)).map((t) => main.indexOf(t.from));
      return { id, row: rows.length > 0 ? rows.reduce((a, b) => a + b, 0) / rows.length : main.length };
    })
    .sort((a, b) => a.row - b.row);
  let next = -Infinity;
  for (const { id, row } of side) {
    const placed = Math.max(row, next);
    boxes.set(id, { x: SIDE_X, y: TOP + placed * ROW, w: SIDE_W });
    next = placed + 1;
  }
  return boxes;
}

function edgePath(from: Box, to: Box): string {
  if (from.x === to.x) {
    const x = from.x + from.w / 2;
    return `M${x},${from.y + NODE_H} L${x},${to.y - 2}`;
  }
  const startX = from.x + from.w;
  const startY = from.y + NODE_H / 2;
  const endY = to.y + NODE_H / 2;
  const bend = (startX + to.x) / 2;
  return `M${startX},${startY} C${bend},${startY} ${bend},${endY} ${to.x - 2},${endY}`;
}

export function renderRouteSvg(graph: RouteGraph, marks?: SvgMarks): string {
  const boxes = layout(graph);
  const visited = new Set(marks?.visited ?? []);
  const stopped = new Set(marks?.stopped ?? []);
  const taken = new Set((marks?.taken ?? []).map(([from, to]) => `${from}>${to}`));
  const pairs = [...new Map(graph.transitions.map((t) => [`${t.from}>${t.to}`, t])).values()].filter((t) => t.from !== t.to);
  const edges = pairs
    .map((t) => {
      const from = boxes.get(t.from);
      const to = boxes.get(t.to);
      if (!from || !to) return '';
      const cls = taken.has(`${t.from}>${t.to}`) ? (stopped.has(t.to) ? 'edge taken stopped' : 'edge taken') : 'edge';
      return `<path class="${cls}" data-from="${esc(t.from)}" data-to="${esc(t.to)}" d="${edgePath(from, to)}" marker-end="url(#route-arrow)"/>`;
    })
    .join('');
  const nodes = graph.states
    .map((state) => {
      const box = boxes.get(state.id)!;
      const mark = stopped.has(state.id) ? 'stopped' : visited.has(state.id) ? 'visited' : marks ? 'unreached' : '';
      const sign = mark === 'stopped' ? '✗ ' : mark === 'visited' ? '✓ ' : '';
      const label = stepLabel(state.id);
      const note = marks?.note && stopped.has(state.id) && state.id === 'blocked' ? marks.note : null;
      return `<g class="node ${mark}" data-state="${esc(state.id)}"><title>${esc(`${state.id}: ${label}`)}</title>
<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${NODE_H}" rx="8"/>
<text class="label" x="${box.x + 12}" y="${box.y + 20}">${esc(sign + label)}</text>
${
        note ? `<text class="note" x="${box.x + 12}" y="${box.y + 37}">${esc(note)}</text>` : `<text class="state-id" x="${box.x + 12}" y="${box.y + 37}">${esc(state.id)}</text>`
      }</g>`;
    })
    .join('\n');
  const height = Math.max(...[...boxes.values()].map((b) => b.y)) + NODE_H + 30;
  const first = boxes.get(graph.initial)!;
  return `<svg class="route-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SIDE_X + SIDE_W + 10} ${height}" role="img" aria-label="the route, drawn from the ${esc(graph.machine)} machine">
<defs><marker id="route-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>
<circle class="start" cx="${first.x + first.w / 2}" cy="${TOP - 18}" r="6"/><path class="edge${marks ? ' taken' : ''}" d="M${first.x + first.w / 2},${TOP - 12} L${first.x + first.w / 2},${TOP - 2}" marker-end="url(#route-arrow)"/>
${edges}
${nodes}
</svg>`;
}

// Classes the SVG uses; a host page puts this in its own style sheet.
export const ROUTE_SVG_STYLE = `
.route-svg{width:100%;max-width:700px;height:auto;display:block;font:13px system-ui,-apple-system,"Segoe UI",sans-serif}
.route-svg .node rect{fill:#f9fafb;stroke:#9ca3af;stroke-width:1.5}.route-svg .node .label{font-weight:600;fill:#111827}
.route-svg .node .state-id{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#6b7280}
.route-svg .node.unreached rect{fill:#fff;stroke:#d1d5db;stroke-dasharray:4 3}.route-svg .node.unreached .label{fill:#9ca3af}
.route-svg .node.visited rect{fill:#dcfce7;stroke:#15803d}.route-svg .node.stopped rect{fill:#fee2e2;stroke:#b91c1c;stroke-width:3}
.route-svg .node.current rect{fill:#dbeafe;stroke:#1d4ed8;stroke-width:3}.route-svg .note{fill:#b91c1c;font:600 11px ui-monospace,Menlo,Consolas,monospace}
.route-svg .edge{fill:none;stroke:#d1d5db;stroke-width:1.2}.route-svg .edge.taken{stroke:#15803d;stroke-width:2.5}.route-svg .edge.taken.stopped{stroke:#b91c1c}
.route-svg marker path{fill:#9ca3af}.route-svg .start{fill:#374151}
`;
