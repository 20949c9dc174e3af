import type { RouteGraph } from '../graph/route-graph.js';
import { stepLabel } from '../graph/step-labels.js';
import { esc } from './html-escape.js';
import type { LaneReport, Report } from './report-schema.js';

// The run on one time axis, drawn as inline SVG (no script): the route's steps, where the gates
// were checked, then for each lane Case's phases (from its own events) and every model request
// the recording proxy saw (from the lane's timeline), each a mark at the moment it was observed.

const LABEL_W = 190;
const PLOT_W = 780;
const ROW_H = 30;
const TOP = 24;

interface Row {
  readonly id: string;
  readonly label: string;
  readonly body: string;
}

function scale(start: number, end: number): (iso: string | null) => number {
  const span = Math.max(end - start, 1);
  return (iso) => {
    const ms = iso === null ? end : Date.parse(iso);
    const x = ((Math.min(Math.max(ms, start), end) - start) / span) * PLOT_W;
    return LABEL_W + Math.round(x * 10) / 10;
  };
}

function bar(cls: string, x1: number, x2: number, y: number, title: string, text: string, data: string): string {
  const width = Math.max(x2 - x1, 2);
  const label = width > text.length * 7 + 8 ? `<text x="${x1 + 4}" y="${y + 15}">${esc(text)}</text>` : '';
  return `<g class="${cls}" ${data}><title>${esc(title)}</title><rect x="${x1}" y="${y + 3}" width="${width}" height="${ROW_H - 10}" rx="3"/>${label}</g>`;
}

// The gates a step checked and how each came out, for its mark's title.
function gatesOf(graph: RouteGraph, report: Report, state: string): string {
  const outcome = new Map(report.gates.map((g) => [g.gate, g.outcome]));
  const gates = graph.transitions.filter((t) => t.from === state && t.to === 'blocked' && t.guard?.startsWith('!')).map((t) => t.guard!.slice(1));
  const sign = { passed: '✓', blocked: '✗', not_reached: '·' } as const;
  return gates.length === 0 ? '' : `; gates: ${gates.map((gate) => `${gate} ${sign[outcome.get(gate) ?? 'not_reached']}`).join(', ')}`;
}

function routeRow(graph: RouteGraph, report: Report, x: (iso: string | null) => number, y: number): Row {
  const visits = report.states_visited;
  const body = visits
    .map((visit, i) => {
      const next = visits[i + 1]?.at ?? report.finished_at;
      const state = visit.state;
      const cls = state === 'blocked' || state === 'aborted' ? `step stopped` : 'step';
      return bar(cls, x(visit.at), x(next), y, `${stepLabel(state)} (${state}) from ${visit.at}${gatesOf(graph, report, state)}`, stepLabel(state), `data-state="${esc(state)}"`);
    })
    .join('');
  return { id: 'route', label: 'route: gates and steps', body };
}

function phaseRow(lane: LaneReport, x: (iso: string | null) => number, y: number): Row {
  const body = lane.phases
    .map((p) => {
      const cls = `phase ${p.outcome === 'completed' ? 'ok' : p.outcome === null ? 'open' : 'bad'}`;
      const title = `${p.phase}${p.agent ? ` (${p.agent})` : ''}: ${p.started_at} to ${p.ended_at ?? 'never ended'}, ${p.outcome ?? 'no outcome'}`;
      return bar(cls, x(p.started_at), x(p.ended_at ?? lane.timeline.at(-1)?.at ?? null), y, title, p.phase, `data-phase="${esc(p.phase)}"`);
    })
    .join('');
  const ends = lane.timeline
    .filter((entry) => entry.event.startsWith('case.') && entry.event !== 'case.spawn_line')
    .map((entry) => `<g class="lane-event"><title>${esc(`${entry.event} at ${entry.at}`)}</title><path d="M${x(entry.at)},${y + 2} l5,${ROW_H / 2 - 2} l-5,${ROW_H / 2 - 6} l-5,${-(ROW_H / 2 - 6)} z"/></g>`)
    .join('');
  return { id: `phases-${lane.lane}`, label: `${lane.lane} lane: Case's phases`, body: body + ends };
}

function requestRow(lane: LaneReport, x: (iso: string | null) => number, y: number): Row {
  const marks = lane.timeline
    .filter((entry) => entry.event === 'proxy.model_request' || entry.event === 'proxy.egress_attempt')
    .map((entry) => {
      const cls = entry.event === 'proxy.model_request' ? 'request' : 'request egress';
      const at = x(entry.at);
      return `<line class="${cls}" x1="${at}" x2="${at}" y1="${y + 4}" y2="${y + ROW_H - 6}"><title>${esc(`${entry.event} at ${entry.at}`)}</title></line>`;
    })
    .join('');
  return { id: `requests-${lane.lane}`, label: `${lane.lane} lane: model requests`, body: marks };
}

function duration(ms: number): string {
  return ms < 2000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function axis(start: number, end: number, height: number): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const at = LABEL_W + f * PLOT_W;
    return `<line class="tick" x1="${at}" x2="${at}" y1="${TOP - 6}" y2="${height - 4}"/><text class="tick-label" x="${at}" y="${TOP - 10}" text-anchor="${f === 1 ? 'end' : f === 0 ? 'start' : 'middle'}">${esc(duration((end - start) * f))}</text>`;
  });
  return ticks.join('');
}

export function timelineSection(graph: RouteGraph, report: Report): string {
  const start = Date.parse(report.started_at);
  const end = Date.parse(report.finished_at);
  if (!Number.isFinite(start) || !Number.isFinite(end)) return '';
  const x = scale(start, end);
  const rows: Row[] = [routeRow(graph, report, x, TOP)];
  for (const lane of report.lanes) {
    rows.push(phaseRow(lane, x, TOP + rows.length * ROW_H));
    rows.push(requestRow(lane, x, TOP + rows.length * ROW_H));
  }
  const height = TOP + rows.length * ROW_H + 6;
  const body = rows
    .map((row, i) => `<g class="row" data-row="${esc(row.id)}"><text class="row-label" x="0" y="${TOP + i * ROW_H + 18}">${esc(row.label)}</text>${row.body}</g>`)
    .join('\n');
  const requests = report.lanes.reduce((sum, lane) => sum + lane.timeline.filter((e) => e.event === 'proxy.model_request').length, 0);
  return `<section id="timeline"><h2>Timeline</h2>
<p class="muted">${esc(duration(end - start))} from the first step to the report; ${esc(requests)} model request(s) marked as the proxy saw them. Hover a mark for its time.</p>
<svg class="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${LABEL_W + PLOT_W + 10} ${height}" role="img" aria-label="timeline of the run">
${axis(start, end, height)}
${body}
</svg></section>`;
}

export const TIMELINE_STYLE = `
.timeline-svg{width:100%;height:auto;display:block;font:12px system-ui,-apple-system,"Segoe UI",sans-serif}
.timeline-svg .row-label{fill:#374151;font-weight:600}.timeline-svg .tick{stroke:#e5e7eb}.timeline-svg .tick-label{fill:#6b7280;font-size:11px}
.timeline-svg .step rect{fill:#bbf7d0;stroke:#15803d}.timeline-svg .step.stopped rect{fill:#fecaca;stroke:#b91c1c}
.timeline-svg .phase rect{fill:#bfdbfe;stroke:#1d4ed8}.timeline-svg .phase.bad rect{fill:#fecaca;stroke:#b91c1c}.timeline-svg .phase.open rect{fill:#fde68a;stroke:#b45309}
.timeline-svg g text{fill:#111827}.timeline-svg .request{stroke:#1d4ed8;stroke-width:2}.timeline-svg .request.egress{stroke:#b91c1c;stroke-width:3}
.timeline-svg .lane-event path{fill:#374151}
@media (prefers-color-scheme:dark){.timeline-svg .row-label,.timeline-svg .tick-label{fill:#d1d5db}.timeline-svg .tick{stroke:#374151}}
`;
