import { esc } from './html-escape.js';
import type { RequestRow } from './request-metrics.js';
import type { LaneReport, Report } from './report-schema.js';

// The report's "Requests" section: each lane's model requests one by one, their totals, a
// breakdown per Case agent and the model's throughput under Case (src/report/request-metrics.ts).

const UNKNOWN = '<span class="muted" title="the server did not say">—</span>';

function num(value: number | null, digits = 0): string {
  return value === null ? UNKNOWN : esc(value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
}

function throughputLine(lane: LaneReport): string {
  const { throughput } = lane.metrics;
  const who = lane.upstream.source === 'harness_scripted_provider' ? "the harness's scripted provider" : `${lane.upstream.server_kind} serving ${lane.model_mapping.model}`;
  return `<p class="throughput"><strong>${num(throughput.tokens_per_second, 1)}</strong> tokens/s · median time to first token <strong>${num(throughput.median_ttft_ms, 1)}</strong> ms <span class="muted">(${esc(who)}; ${esc(throughput.requests_measured)} answer(s) with a speed)</span></p>`;
}

function totalsTable(lane: LaneReport): string {
  const t = lane.metrics.totals;
  const rows: Array<[string, string]> = [
    ['requests', `${esc(t.requests)} <span class="muted">(${esc(t.requests_with_usage)} with token counts)</span>`],
    ['prompt tokens', num(t.prompt_tokens)],
    ['completion tokens', num(t.completion_tokens)],
    ['time in requests', `${num(t.latency_ms / 1000, 1)} s`],
  ];
  return `<table class="req-totals"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function agentTable(lane: LaneReport): string {
  const rows = lane.metrics.by_agent
    .map(
      (a) =>
        `<tr><td>${a.agent === null ? '<span class="muted">not matched</span>' : `<code>${esc(a.agent)}</code>`}</td><td class="n">${esc(a.requests)}</td><td class="n">${num(a.prompt_tokens)}</td><td class="n">${num(a.completion_tokens)}</td><td class="n">${num(a.tokens_per_second, 1)}</td><td class="n">${num(a.median_ttft_ms, 1)}</td></tr>`,
    )
    .join('');
  return `<table class="req-agents"><thead><tr><th>agent</th><th class="n">requests</th><th class="n">prompt tokens</th><th class="n">completion tokens</th><th class="n">tokens/s</th><th class="n">median TTFT ms</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function statusCell(row: RequestRow): string {
  if (row.refused !== null) return `<span class="mark bad">${esc(row.status)} refused: ${esc(row.refused)}</span>`;
  return row.status >= 200 && row.status < 300 ? esc(row.status) : `<span class="mark bad">${esc(row.status)}</span>`;
}

function requestTable(lane: LaneReport): string {
  const start = Date.parse(lane.metrics.requests[0]?.time ?? lane.started_at);
  const rows = lane.metrics.requests
    .map((r, i) => {
      const offset = (Date.parse(r.time) - start) / 1000;
      const agent = r.agent === null ? '<span class="muted">—</span>' : `<code>${esc(r.agent)}</code>${r.agent_basis === 'spawn_line' ? ' <span class="muted" title="matched by the last spawn line before it">*</span>' : ''}`;
      return `<tr><td class="n">${i + 1}</td><td class="n" title="${esc(r.time)}">+${esc(offset.toFixed(2))} s</td><td>${agent}</td><td><code>${esc(r.model ?? '(none)')}</code></td><td>${statusCell(r)}</td><td class="n">${esc(r.latency_ms)}</td><td class="n">${num(r.ttft_ms, 1)}</td><td class="n">${num(r.prompt_tokens)}</td><td class="n">${num(r.completion_tokens)}</td><td class="n">${num(r.tokens_per_second, 1)}</td></tr>`;
    })
    .join('\n');
  return `<details class="req-list" open><summary>Every request (${esc(lane.metrics.requests.length)})</summary>
<table class="req-table"><thead><tr><th class="n">#</th><th class="n">at</th><th>agent</th><th>model</th><th>status</th><th class="n">latency ms</th><th class="n">TTFT ms</th><th class="n">prompt</th><th class="n">completion</th><th class="n">tokens/s</th></tr></thead><tbody>
${rows}</tbody></table></details>`;
}

const STYLE = `#requests .n{text-align:right;font-variant-numeric:tabular-nums}#requests table{margin:6px 0 12px}
#requests .throughput{font-size:16px;margin:4px 0}#requests .req-totals{width:auto}#requests .req-table td{font-size:13px;padding:3px 6px}`;

export function requestsSection(report: Report): string {
  if (report.lanes.length === 0) return '';
  const lanes = report.lanes
    .map(
      (lane) => `<div class="req-lane" data-lane="${esc(lane.lane)}"><h3>${esc(lane.lane)} lane <span class="muted">(${esc(lane.role)})</span></h3>
${throughputLine(lane)}${totalsTable(lane)}<h4>Per Case agent</h4>${agentTable(lane)}${requestTable(lane)}</div>`,
    )
    .join('\n');
  return `<section id="requests"><style>${STYLE}</style><h2>Requests</h2>
<p class="muted">What the recording proxy saw of each model request (no bodies). Tokens are the server's own counts (<code>usage</code>); — where it gave none. Each request's agent is matched by time against Case's phase events (* where by its spawn lines); it is a reading aid, not evidence.</p>
${lanes}</section>`;
}
