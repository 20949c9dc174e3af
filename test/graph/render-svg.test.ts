import { describe, expect, it } from 'vitest';
import { renderRouteSvg } from '../../src/graph/render-svg.js';
import { routeGraph } from '../../src/graph/route-graph.js';
import { STEP_LABELS } from '../../src/graph/step-labels.js';

describe('the route drawn as SVG', () => {
  const graph = routeGraph();

  it('has a label for every state of the machine, read as the check being made', () => {
    expect(Object.keys(STEP_LABELS).sort()).toEqual(graph.states.map((s) => s.id).sort());
  });

  it('draws every state once and one edge per pair of states the machine connects', () => {
    const svg = renderRouteSvg(graph);
    for (const state of graph.states) expect(svg.match(new RegExp(`data-state="${state.id}"`, 'g'))).toHaveLength(1);
    const pairs = new Set(graph.transitions.map((t) => `${t.from}>${t.to}`));
    expect(svg.match(/<path class="edge" data-from/g)).toHaveLength(pairs.size);
    expect(svg).not.toMatch(/style=|<script|href=/);
  });
});
