import { renderRouteSvg, ROUTE_SVG_STYLE } from '../graph/render-svg.js';
import { routeGraph } from '../graph/route-graph.js';
import { STEP_LABELS } from '../graph/step-labels.js';

// The live view: the route diagram (the report's own SVG) with the current state lit, the lanes'
// states, every observed event, the requests through the recording proxy, and the verdict. Its
// only script is this page's own, allowed by the nonce; it writes text, never markup, and talks
// to nothing but its own origin's event stream.

const STYLE = `
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#111827;background:#f9fafb}
main{max-width:1280px;margin:0 auto;padding:16px;display:grid;grid-template-columns:minmax(320px,560px) 1fr;gap:16px}
header{grid-column:1/-1}h1{font-size:19px;margin:0}h2{font-size:16px;margin:0 0 8px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:12px 16px}
#connection{color:#6b7280}#current{font-size:16px;font-weight:600;margin:6px 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 6px;border-top:1px solid #e5e7eb;font-size:13px}
#events{list-style:none;margin:0;padding:0;max-height:420px;overflow:auto;font:12px ui-monospace,Menlo,Consolas,monospace}
#events li{border-top:1px solid #f3f4f6;padding:2px 0}.muted{color:#6b7280}
#verdict{grid-column:1/-1;border-width:3px}#verdict[hidden]{display:none}#verdict.pass{border-color:#15803d}#verdict.fail{border-color:#b91c1c}#verdict.blocked{border-color:#b45309}
#verdict-status{font-size:26px;font-weight:700;text-transform:uppercase}.bad{color:#b91c1c}
`;

// Runs in the browser, as is.
const SCRIPT = `
const labels = JSON.parse(document.getElementById('step-labels').textContent);
const stops = new Set(['blocked', 'aborted', 'report_failed']);
const seen = [];
const lanes = new Map();
const $ = (id) => document.getElementById(id);
const time = (iso) => iso.slice(11, 23);
function cell(row, text, cls) { const td = document.createElement('td'); td.textContent = String(text); if (cls) td.className = cls; row.appendChild(td); return td; }
function logLine(at, who, text) {
  const li = document.createElement('li');
  li.textContent = time(at) + '  ' + who + '  ' + text;
  $('events').appendChild(li);
  li.scrollIntoView({ block: 'nearest' });
}
function lightRoute(state) {
  const previous = seen[seen.length - 1];
  seen.push(state);
  for (const node of document.querySelectorAll('.route-svg g.node')) {
    const id = node.getAttribute('data-state');
    node.classList.remove('current');
    if (id === state) node.classList.add(stops.has(id) ? 'stopped' : 'current');
    // The step a run blocked in is red, as in the report's diagram.
    else if (id === previous && state === 'blocked') node.classList.add('stopped');
    else if (seen.includes(id)) node.classList.add('visited');
  }
  if (previous) for (const edge of document.querySelectorAll('.route-svg path.edge')) {
    if (edge.getAttribute('data-from') === previous && edge.getAttribute('data-to') === state) edge.classList.add('taken', ...(stops.has(state) ? ['stopped'] : []));
  }
  $('current').textContent = 'now: ' + (labels[state] || state) + ' (' + state + ')';
}
function laneRow(lane) {
  if (!lanes.has(lane)) {
    const row = document.createElement('tr');
    row.setAttribute('data-lane', lane);
    const cells = { name: cell(row, lane), state: cell(row, ''), requests: cell(row, 0) };
    $('lane-rows').appendChild(row);
    lanes.set(lane, { cells, requests: 0 });
  }
  return lanes.get(lane);
}
const handlers = {
  route(e) { lightRoute(e.state); logLine(e.at, 'route', labels[e.state] || e.state); },
  supervisor(e) { $('supervisor').textContent = 'supervisor: ' + e.state; logLine(e.at, 'supervisor', e.state); },
  lane(e) { laneRow(e.lane).cells.state.textContent = e.state; logLine(e.at, e.lane + ' lane', 'state ' + e.state); },
  observed(e) { logLine(e.at, e.lane + ' lane', e.event + (e.text ? ': ' + e.text : '')); },
  request(e) {
    const lane = laneRow(e.lane);
    lane.requests += 1;
    lane.cells.requests.textContent = String(lane.requests);
    const row = document.createElement('tr');
    row.className = 'request';
    cell(row, time(e.at)); cell(row, e.lane); cell(row, e.model === null ? '(none)' : e.model);
    cell(row, e.status, e.status >= 400 ? 'bad' : ''); cell(row, e.refused === null ? '' : 'refused: ' + e.refused, 'bad');
    $('request-rows').appendChild(row);
    $('request-count').textContent = String(document.querySelectorAll('#request-rows tr').length);
  },
  verdict(e) {
    const box = $('verdict');
    box.className = e.status;
    $('verdict-status').textContent = e.status;
    $('verdict-statement').textContent = e.statement;
    for (const reason of e.reasons) { const li = document.createElement('li'); li.textContent = reason; $('verdict-reasons').appendChild(li); }
    $('verdict-report').textContent = e.report ? 'the report: ' + e.report : 'the report could not be written';
    box.hidden = false;
    $('connection').textContent = 'the run has ended; this page keeps what it was shown';
    source.close();
  },
};
const source = new EventSource('events');
source.onopen = () => { $('connection').textContent = 'live: connected to the run'; };
source.onerror = () => { if (source.readyState !== EventSource.CLOSED) $('connection').textContent = 'reconnecting...'; else if ($('verdict').hidden) $('connection').textContent = 'the run is over (the process exited)'; };
source.onmessage = (message) => { const e = JSON.parse(message.data); const handle = handlers[e.kind]; if (handle) handle(e); };
`;

// JSON inside a script element must not be able to close it.
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderWatchPage(nonce: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>case-route: live view</title>
<style nonce="${nonce}">${STYLE}${ROUTE_SVG_STYLE}</style></head>
<body><main>
<header><h1>case-route: watching a run</h1><p id="connection">connecting...</p></header>
<section id="verdict" hidden><div id="verdict-status"></div><p id="verdict-statement"></p><ul id="verdict-reasons"></ul><p id="verdict-report" class="muted"></p></section>
<section id="route"><h2>Route</h2><p id="current">waiting for the first state</p>${renderRouteSvg(routeGraph())}</section>
<div>
<section id="lanes"><h2>Lanes</h2><p id="supervisor" class="muted">Stage 2 not started</p><table><thead><tr><th>lane</th><th>state</th><th>requests</th></tr></thead><tbody id="lane-rows"></tbody></table></section>
<section id="requests"><h2>Requests through the recording proxy (<span id="request-count">0</span>)</h2><table><thead><tr><th>time</th><th>lane</th><th>model</th><th>status</th><th></th></tr></thead><tbody id="request-rows"></tbody></table></section>
<section id="event-log"><h2>Events</h2><ol id="events"></ol></section>
</div>
</main>
<script type="application/json" id="step-labels">${scriptJson(STEP_LABELS)}</script>
<script nonce="${nonce}">${SCRIPT}</script>
</body></html>
`;
}
