import { FAIL_REASONS, NOT_EVIDENCE_REASONS } from './verdict-reasons.js';
import { toMermaid } from '../graph/render-graph.js';
import { marksOf, renderRouteSvg, ROUTE_SVG_STYLE } from '../graph/render-svg.js';
import { happyPath, routeGraph, type RouteGraph } from '../graph/route-graph.js';
import { runPathOf, type RunPath } from '../graph/run-path.js';
import { stepLabel } from '../graph/step-labels.js';
import { blockedBlock } from './html-blocked.js';
import { esc, PAGE_CSP, yesNo } from './html-escape.js';
import { laneCards } from './html-lane-cards.js';
import { timelineSection, TIMELINE_STYLE } from './html-timeline.js';
import { ATTESTATION, REPORT_JSON, ROUTE_DIAGRAM } from './artifact-names.js';
import { GENERATOR } from './generator.js';
import { requestsSection } from './html-requests.js';
import type { LaneReport, Report } from './report-schema.js';
import { replaySection } from './html-replay.js';

function list(items: readonly string[], empty: string): string {
  return items.length === 0 ? `<span class="muted">${esc(empty)}</span>` : `<ul>${items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
}

const STATUS_LABEL: Record<Report['status'], string> = { pass: 'pass', fail: 'fail', blocked: 'blocked', aborted: 'aborted' };

// What the run is evidence of comes before anything else, so `pass` never reads as admission.
function claimSection(report: Report): string {
  const { claim } = report;
  const reasons = claim.not_evidence_because
    .map((r) => `<li><code>${esc(r.reason)}</code>: ${esc(r.detail)} <span class="muted">(${esc(NOT_EVIDENCE_REASONS[r.reason])})</span></li>`)
    .join('');
  const command = claim.case_command
    ? `<p class="muted">Case command as run: ${claim.case_command.map((f) => `<code>${esc(f.name)}</code> <code class="digest">sha256:${esc(f.sha256 ?? 'unreadable')}</code>`).join(', ')}</p>`
    : '';
  return `<p id="claim" class="claim ${esc(claim.stage2_evidence)}">${esc(claim.statement)}</p>
${reasons ? `<details id="claim-reasons"><summary>Why this is not the real Stage 2 pass evidence ${esc(claim.work_item.work_id ?? 'a work item')} waits for</summary><ul>${reasons}</ul></details>` : ''}${command}`;
}

function firstErrorBlock(report: Report): string {
  if (!report.first_error) return '';
  const [first, ...rest] = report.first_error.message.split('\n');
  return `<div id="first-error"><p><strong>First error (${esc(report.first_error.lane)} lane):</strong> ${esc(first)}</p>${rest.length > 0 ? `<pre>${esc(rest.join('\n'))}</pre>` : ''}</div>`;
}

function headline(report: Report): string {
  switch (report.status) {
    case 'pass':
      return `<p id="headline">Case ran Stage 2 on <code>${esc(report.case_model_provider)}</code> / <code>${esc(report.case_model)}</code> and the evidence shows no fallback.</p>`;
    case 'blocked':
      return blockedBlock(report);
    case 'fail':
      return `<p id="headline"><strong>Case started and the run did not pass.</strong></p>
${firstErrorBlock(report)}<ul id="fail-reasons">${report.fail_reasons
        .map((f) => `<li><code>${esc(f.reason)}</code>: ${esc(f.detail)} <span class="muted">(${esc(FAIL_REASONS[f.reason])})</span></li>`)
        .join('')}</ul>`;
    case 'aborted':
      return `<p id="headline"><strong>Aborted by a signal</strong> in <code>${esc(report.final_state)}</code>; any started process was stopped.</p>`;
  }
}

// The route drawn from the machine definition, the run's path marked, and its Mermaid source.
function routeSection(graph: RouteGraph, path: RunPath): string {
  const blockedNote = path.blocked
    ? `<p class="note">Blocked while ${esc(stepLabel(path.blocked.state))} (<code>${esc(path.blocked.state)}</code>) by ${path.blocked.gate ? `the gate <code>${esc(path.blocked.gate)}</code>` : 'a step that failed'} (<code>${esc(path.blocked.reason)}</code>).</p>`
    : '';
  return `<section id="route"><h2>Route</h2>
<p class="muted">Drawn from the machine definition; the run's path is marked: green where it went, red where it stopped.</p>
${renderRouteSvg(graph, marksOf(graph, path))}${blockedNote}
<details><summary>Mermaid source (also in <code>${esc(ROUTE_DIAGRAM)}</code>)</summary><pre>${esc(toMermaid(graph, path))}</pre></details></section>`;
}

function countList(counts: Record<string, number>): string[] {
  return Object.entries(counts).map(([key, count]) => `${key}: ${count}`);
}

function spawnSummary(lane: LaneReport): string[] {
  const counts: Record<string, number> = {};
  for (const line of lane.spawn_lines) {
    const key = `${line.provider ?? '(none)'}/${line.model ?? '(none)'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return countList(counts);
}

function upstreamSummary(lane: LaneReport): string {
  const who = lane.upstream.source === 'harness_scripted_provider' ? "the harness's scripted provider" : `${lane.upstream.server_kind}${lane.upstream.server_version ? ` ${lane.upstream.server_version}` : ''}`;
  return `${esc(who)} at <code>${esc(lane.upstream.base_url)}</code>`;
}

function providerErrorList(lane: LaneReport): string {
  return list(lane.provider_errors.map((group) => `${group.count}× ${group.detail}`), 'none');
}

function servedNames(preflight: NonNullable<Report['preflight']>): string {
  const names = preflight.models_listed.map((id) => {
    const aliases = preflight.model_aliases[id] ?? [];
    return aliases.length > 0 ? `${id} (aliases: ${aliases.join(', ')})` : id;
  });
  return names.join(', ') || 'nothing';
}

function contextSummary(window: NonNullable<Report['preflight']>['context_window']): string {
  return window.tokens === null ? `context window not stated (${window.source})` : `context window ${window.tokens} tokens (${window.source})`;
}

function lanesSection(report: Report): string {
  if (report.lanes.length === 0) {
    return `<section id="lanes"><h2>Lanes</h2><p class="muted">No lane ran: Case was not started.</p></section>`;
  }
  const rows: Array<[string, (lane: LaneReport) => string]> = [
    ['server', upstreamSummary],
    ['model mapping', (l) => `<code>${esc(l.model_mapping.logical_provider)}</code> → <code>${esc(l.model_mapping.case_provider_key)}</code> / <code>${esc(l.model_mapping.model)}</code>`],
    ['exit', (l) => esc(l.timed_out ? 'timed out' : l.exit_code ?? `signal ${l.signal ?? 'unknown'}`)],
    ['duration', (l) => `${esc((l.duration_ms / 1000).toFixed(1))} s`],
    ['requests by model', (l) => list(countList(l.requests_by_model), 'none')],
    ['answers by status', (l) => list(countList(l.responses_by_status), 'none')],
    ['local server errors', providerErrorList],
    ['refused requests', (l) => list(l.rejected_requests.map((r) => `${r.reason}: ${r.model ?? '(no model)'} ${r.path} → ${r.status}`), 'none')],
    ['egress attempts', (l) => list(l.egress_attempts.map((e) => `${e.host}:${e.port}`), 'none')],
    ['spawn lines', (l) => list(spawnSummary(l), 'none')],
    ['pipeline outcome', (l) => esc(l.pipeline_outcome ?? 'missing')],
    ['acceptance check', (l) => (l.acceptance.ran ? yesNo(l.acceptance.passed, 'passed', `failed (exit ${l.acceptance.exit_code})`) : '<span class="mark bad">✗ did not run</span>')],
    ['model still served after', (l) => yesNo(l.served_after.still_served, l.served_after.detail, l.served_after.detail)],
    ['pull requests (stand-in)', (l) => esc(`${l.pull_requests} recorded, ${l.refused_gh_calls} other gh call(s) refused`)],
    ['first error', (l) => (l.first_error ? `<span class="first-error">${esc(l.first_error.message)}</span>` : '<span class="muted">none</span>')],
    ['isolation', (l) => yesNo(l.isolation.mode === 'namespaces', l.isolation.detail, l.isolation.detail)],
    ['Case command', (l) => (l.case_command ? list(l.case_command.map((f) => `${f.name} sha256:${f.sha256 ?? 'unreadable'}`), 'none') : '<span class="muted">the bundled fake Case</span>')],
    ['Stage 2', (l) => `${yesNo(l.stage2.passed, 'passed', 'failed')}${list(l.stage2.failures, '')}`],
    ['no fallback', (l) => `${yesNo(l.no_fallback.verdict, 'proven', 'not proven')}${list(l.no_fallback.failures, '')}`],
  ];
  const head = report.lanes.map((l) => `<th scope="col">${esc(l.lane)} <span class="muted">(${esc(l.role)})</span></th>`).join('');
  const body = rows.map(([name, cell]) => `<tr><th scope="row">${esc(name)}</th>${report.lanes.map((l) => `<td>${cell(l)}</td>`).join('')}</tr>`).join('\n');
  const baseline = report.baseline_comparison
    ? `<h3>Baseline comparison</h3><p>${yesNo(report.baseline_comparison.baseline_passed, 'the same-run fake baseline passed', 'the same-run fake baseline did not pass')}</p>${list(report.baseline_comparison.differences, 'no differences')}`
    : '';
  return `<section id="lanes"><h2>Lanes in detail</h2><table class="lanes"><thead><tr><th></th>${head}</tr></thead><tbody>
${body}</tbody></table>${baseline}</section>`;
}

function factsSection(report: Report): string {
  const rows: Array<[string, string]> = [
    ['decision record', report.decision_ref ? `${esc(report.decision_ref.work_id)} <code class="digest">sha256:${esc(report.decision_ref.sha256)}</code>` : '<span class="muted">not recorded</span>'],
    ['decision status', esc(report.decision_status ?? '—')],
    ['provider class', esc(report.provider_class ?? '—')],
    ['admission file', report.admission_ref ? `<code class="digest">sha256:${esc(report.admission_ref.sha256)}</code>` : '<span class="muted">not recorded</span>'],
    ['admitted provider / model', `<code>${esc(report.case_model_provider ?? '—')}</code> / <code>${esc(report.case_model ?? '—')}</code> (${esc(report.case_model_admission_status ?? '—')})`],
    ['Case provider key', esc(report.case_provider_key ?? '—')],
    [
      'local provider',
      report.preflight
        ? esc(
            `${report.preflight.reachable ? 'reachable' : 'unreachable'}, ${report.preflight.server_kind}${report.preflight.server_version ? ` ${report.preflight.server_version}` : ''}, serving ${
              servedNames(report.preflight)
            }; ${contextSummary(report.preflight.context_window)}`,
          )
        : '<span class="muted">not checked</span>',
    ],
    ['fixture', report.fixture ? `${esc(report.fixture.name)} <code class="digest">sha256:${esc(report.fixture.tree_sha256 ?? '—')}</code>` : '<span class="muted">not prepared</span>'],
    ['redactions', esc(report.redactions.count)],
  ];
  return `<section id="facts"><h2>Inputs and observations</h2><table class="facts"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table></section>`;
}

// Every gate in the order the route checks them, grouped under the step that checks them.
function gatesSection(graph: RouteGraph, report: Report): string {
  const outcome = new Map(report.gates.map((g) => [g.gate, g.outcome]));
  const rows = happyPath(graph)
    .map((state) => {
      const gates = graph.transitions.filter((t) => t.from === state && t.to === 'blocked' && t.guard?.startsWith('!')).map((t) => t.guard!.slice(1));
      if (gates.length === 0) return '';
      const chips = gates
        .map((gate) => {
          const result = outcome.get(gate) ?? 'not_reached';
          const sign = result === 'passed' ? '✓' : result === 'blocked' ? '✗' : '·';
          return `<li class="gate ${esc(result)}"><code>${esc(gate)}</code> <span>${sign} ${esc(result.replace('_', ' '))}</span></li>`;
        })
        .join('');
      return `<tr data-state="${esc(state)}"><th scope="row">${esc(stepLabel(state))} <span class="muted"><code>${esc(state)}</code></span></th><td><ul class="gates">${chips}</ul></td></tr>`;
    })
    .join('');
  return `<section id="gates"><h2>Gates</h2><table class="gates-table"><tbody>${rows}</tbody></table></section>`;
}

// What the tool exists to prove, first: the no-fallback verdict, its evidence, and the lanes side
// by side.
function proofSection(report: Report): string {
  return `<section id="no-fallback"><h2>No fallback</h2><p id="no-fallback-verdict">${yesNo(report.no_fallback.verdict, 'proven: only the admitted model was used', 'not proven')}</p>${list(report.no_fallback.evidence, 'no evidence')}
<h3>Lanes</h3>${laneCards(report)}</section>`;
}

const STYLE = `
:root{--ok:#15803d;--ok-bg:#dcfce7;--bad:#b91c1c;--bad-bg:#fee2e2;--warn:#b45309;--warn-bg:#fef3c7;--muted:#6b7280;--line:#e5e7eb}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1100px;margin:0 auto;padding:24px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h1{font-size:20px;margin:0}h2{font-size:17px;margin:0 0 8px}h3{font-size:15px}code{font:13px ui-monospace,Menlo,Consolas,monospace}.digest{word-break:break-all}
.muted{color:var(--muted)}table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-top:1px solid var(--line)}
thead th{border-top:0}td ul,ul.ends{margin:0;padding-left:18px}
#claim{font-size:17px;font-weight:600;margin:4px 0 8px}#claim.real{color:var(--ok)}#claim.route_validation,#claim.none{color:var(--warn)}
#first-error{border-left:4px solid var(--bad);padding:4px 12px;margin:8px 0}#first-error pre,.first-error{white-space:pre-wrap}
#summary{border-width:2px}#summary.pass{border-color:var(--ok)}#summary.fail{border-color:var(--bad)}#summary.blocked{border-color:var(--warn)}
#status{display:inline-block;font-size:28px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;padding:2px 14px;border-radius:6px;margin:8px 0}
.pass #status{background:var(--ok-bg);color:var(--ok)}.fail #status{background:var(--bad-bg);color:var(--bad)}.blocked #status{background:var(--warn-bg);color:var(--warn)}.aborted #status{background:#e5e7eb;color:#374151}
.mark.ok{color:var(--ok)}.mark.bad{color:var(--bad)}
#blocked-explanation{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:8px 0}#blocked-explanation dt{font-weight:600;color:var(--muted)}#blocked-explanation dd{margin:0}
#blocked-fix{font-weight:600}.lane-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
.lane-card{border:1px solid var(--line);border-left:4px solid var(--ok);border-radius:6px;padding:8px 12px}.lane-card.bad{border-left-color:var(--bad)}
.lane-card h3{margin:0 0 4px}.lane-card ul.verdicts{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 12px}.lane-card .links{font-size:13px;margin:4px 0}
.first-error{white-space:pre-wrap}
ul.gates{list-style:none;padding:0;margin:4px 0 0;display:flex;flex-wrap:wrap;gap:6px}li.gate{padding:1px 8px;border-radius:12px;background:#f3f4f6}
li.gate.passed{background:var(--ok-bg);color:var(--ok)}li.gate.blocked{background:var(--bad-bg);color:var(--bad);font-weight:700}
tr.gate.blocked td{background:var(--bad-bg);font-weight:700}tr.gate.passed td:last-child{color:var(--ok)}tr.gate.not_reached td{color:var(--muted)}
.note{font-weight:600;color:var(--bad)}pre{background:#f3f4f6;padding:8px;overflow:auto;font-size:12px}
footer{color:var(--muted);font-size:13px;text-align:center;padding:8px}
@media (prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}section{background:#1f2937;border-color:#374151}pre,li.gate{background:#374151}}
`;

// One file, readable offline: inline style, no script, and a policy that forbids loading anything.
export function renderReportHtml(report: Report): string {
  const graph = routeGraph();
  const path = runPathOf(graph, report);
  const status = STATUS_LABEL[report.status];
  const duration = (Date.parse(report.finished_at) - Date.parse(report.started_at)) / 1000;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>case-route ${esc(status)}: run ${esc(report.run_id)}</title>
<style>${STYLE}${ROUTE_SVG_STYLE}${TIMELINE_STYLE}</style></head>
<body><main>
<section id="summary" class="${esc(status)}">
<h1>case-route run <code>${esc(report.run_id)}</code></h1>
<div id="status">${esc(status)}</div>
${claimSection(report)}
${headline(report)}
<p class="muted">${esc(report.lane)} lane · started ${esc(report.started_at)} · ${esc(Number.isFinite(duration) ? duration.toFixed(1) : '?')} s · final state <code>${esc(report.final_state)}</code> · Case process started: ${report.case_process_started ? 'yes' : 'no'}</p>
</section>
${proofSection(report)}
${timelineSection(graph, report)}
${routeSection(graph, path)}
${gatesSection(graph, report)}
${lanesSection(report)}
${requestsSection(report)}
${replaySection(report)}
${factsSection(report)}
<section id="files"><h2>Files</h2><ul>
<li><a href="${esc(REPORT_JSON)}">${esc(REPORT_JSON)}</a>: the report (schema: <code>case-route schema report</code>)</li>
<li><a href="${esc(ATTESTATION)}">${esc(ATTESTATION)}</a>: in-toto statement; check it with <code>case-route verify DIR</code></li>
<li><a href="${esc(ROUTE_DIAGRAM)}">${esc(ROUTE_DIAGRAM)}</a>: the route diagram (Mermaid)</li>
<li><code>lanes/</code>: each lane's logs, proxy audit, egress log, model transcript (<code>transcript.jsonl</code>, unless the run had <code>--no-transcript</code>) and generated Case config</li></ul></section>
<footer>${esc(GENERATOR.name)} ${esc(GENERATOR.version)} · report schema ${esc(report.schema_version)}</footer>
</main></body></html>
`;
}
