import { esc, PAGE_CSP } from './html-escape.js';
import { GENERATOR } from './generator.js';
import type { ReadableRun, RunEntry } from './run-list.js';

// index.html of an out directory (`case-route runs`): every run side by side, each linking its
// own report.html. Self-contained like the report: inline style, no script, nothing loaded.

const dash = '<span class="muted">—</span>';

function num(value: number | null, digits = 0): string {
  return value === null ? dash : esc(value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
}

// A bar scaled to the fastest run, so speeds compare at a glance.
function speedCell(value: number | null, fastest: number): string {
  if (value === null) return dash;
  const width = fastest > 0 ? Math.max(2, Math.round((value / fastest) * 100)) : 0;
  return `<span class="bar" style="width:${width}px"></span> ${num(value, 1)}`;
}

function href(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function laneCells(run: ReadableRun): string {
  return run.lanes.map((lane) => `<div><code>${esc(lane.lane)}</code> <span class="muted">${esc(lane.role)}, ${esc(lane.server)}</span>: ${esc(lane.requests)} req, ${num(lane.completion_tokens)} out tokens, ${num(lane.tokens_per_second, 1)} tok/s</div>`).join('') || dash;
}

function runRow(run: ReadableRun, fastest: number): string {
  const duration = run.duration_ms === null ? dash : `${esc((run.duration_ms / 1000).toFixed(1))} s`;
  return `<tr class="run ${esc(run.status)}" data-run="${esc(run.run_id)}">
<td><a href="${esc(href(run.report_html))}"><code>${esc(run.run_id)}</code></a></td>
<td title="${esc(run.started_at)}">${esc(run.started_at.replace('T', ' ').slice(0, 19))}</td>
<td><span class="status ${esc(run.status)}">${esc(run.status)}</span>${run.reason ? `<div class="muted reason">${esc(run.reason)}</div>` : ''}</td>
<td>${esc(run.stage2_evidence.replace('_', ' '))}</td>
<td>${esc(run.lane)}</td>
<td>${run.model === null ? dash : `<code>${esc(run.model)}</code>`}</td>
<td class="n">${esc(run.requests)}</td>
<td class="n speed">${speedCell(run.tokens_per_second, fastest)}</td>
<td class="n">${num(run.median_ttft_ms, 1)}</td>
<td class="n">${duration}</td>
<td class="lanes">${laneCells(run)}</td></tr>`;
}

const STYLE = `
:root{--ok:#15803d;--ok-bg:#dcfce7;--bad:#b91c1c;--bad-bg:#fee2e2;--warn:#b45309;--warn-bg:#fef3c7;--muted:#6b7280;--line:#e5e7eb}
*{box-sizing:border-box}body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1400px;margin:0 auto;padding:24px}section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0;overflow-x:auto}
h1{font-size:20px;margin:0}h2{font-size:17px;margin:0 0 8px}code{font:13px ui-monospace,Menlo,Consolas,monospace}.muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:6px 8px;border-top:1px solid var(--line)}thead th{border-top:0;white-space:nowrap}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.lanes{font-size:13px}.reason{font-size:12px;max-width:320px}
.status{font-weight:700;text-transform:uppercase;padding:1px 8px;border-radius:4px}.status.pass{background:var(--ok-bg);color:var(--ok)}
.status.fail{background:var(--bad-bg);color:var(--bad)}.status.blocked{background:var(--warn-bg);color:var(--warn)}.status.aborted{background:#e5e7eb;color:#374151}
.bar{display:inline-block;height:10px;background:#60a5fa;border-radius:2px;vertical-align:middle}
footer{color:var(--muted);font-size:13px;text-align:center;padding:8px}
@media (prefers-color-scheme:dark){body{background:#111827;color:#e5e7eb}section{background:#1f2937;border-color:#374151}}
`;

export function renderRunIndexHtml(title: string, runs: readonly RunEntry[]): string {
  const readable = runs.filter((run): run is ReadableRun => run.readable);
  const unreadable = runs.filter((run) => !run.readable);
  const fastest = Math.max(0, ...readable.map((run) => run.tokens_per_second ?? 0));
  const table = readable.length
    ? `<table id="runs"><thead><tr><th>run</th><th>started (UTC)</th><th>status</th><th>evidence</th><th>lane</th><th>model</th><th class="n">requests</th><th class="n">tokens/s</th><th class="n">median TTFT ms</th><th class="n">duration</th><th>lanes</th></tr></thead><tbody>
${readable.map((run) => runRow(run, fastest)).join('\n')}</tbody></table>`
    : '<p class="muted">No run here yet.</p>';
  const broken = unreadable.length
    ? `<section id="unreadable"><h2>Unreadable (${esc(unreadable.length)})</h2><ul>${unreadable.map((run) => `<li><code>${esc(run.dir)}</code>: ${esc(run.readable ? '' : run.problem)}</li>`).join('')}</ul></section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>case-route runs: ${esc(title)}</title>
<style>${STYLE}</style></head>
<body><main>
<section id="summary"><h1>case-route runs in <code>${esc(title)}</code></h1>
<p class="muted">${esc(readable.length)} run(s), newest first. Requests, tokens/s and time to first token are the primary lane's: the model under Case (a real run's baseline talks to the harness's scripted provider). Each run id opens its report.</p></section>
<section>${table}</section>
${broken}
<footer>${esc(GENERATOR.name)} ${esc(GENERATOR.version)} · written by <code>case-route runs</code>; run it again after new runs</footer>
</main></body></html>
`;
}
