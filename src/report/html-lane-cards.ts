import { TRANSCRIPT_FILE } from '../evidence/transcript.js';
import { GENERATED_FILES } from '../lane-setup/write-adapter.js';
import { esc, yesNo } from './html-escape.js';
import type { LaneReport, Report } from './report-schema.js';

// Where checkLane writes a lane's artifacts, relative to the run directory (the report's own).
const LANE_LOGS = ['stdout.log', 'stderr.log', 'proxy-audit.jsonl', 'egress.jsonl', 'gh.jsonl'] as const;

function laneLinks(lane: LaneReport): string {
  const dir = `lanes/${lane.lane}`;
  const link = (path: string, text: string) => `<a href="${esc(`${dir}/${path}`)}">${esc(text)}</a>`;
  const transcript = lane.transcript_kept ? ` · ${link(TRANSCRIPT_FILE, 'model transcript')}` : '';
  return `<p class="links">logs: ${LANE_LOGS.map((name) => link(name, name)).join(' · ')} · ${link('events/', "Case's events")}${transcript}</p>
<p class="links">generated Case config: ${GENERATED_FILES.map((name) => link(`adapter/${name}`, name)).join(' · ')}</p>`;
}

function modelsUsed(lane: LaneReport): string {
  const models = Object.entries(lane.requests_by_model).map(([model, count]) => `${count} for ${model}`);
  return models.length > 0 ? models.join(', ') : 'no model request';
}

function failureList(failures: readonly string[]): string {
  return failures.length === 0 ? '' : `<ul class="failures">${failures.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>`;
}

function card(lane: LaneReport): string {
  return `<article class="lane-card ${lane.stage2.passed && lane.no_fallback.verdict ? 'ok' : 'bad'}" data-lane="${esc(lane.lane)}">
<h3>${esc(lane.lane)} lane <span class="muted">(${esc(lane.role)})</span></h3>
<ul class="verdicts"><li>${yesNo(lane.no_fallback.verdict, 'no fallback proven', 'no fallback not proven')}</li><li>${yesNo(lane.stage2.passed, 'Stage 2 passed', 'Stage 2 failed')}</li>
<li>${yesNo(lane.isolation.mode === 'namespaces', 'isolated', 'not isolated')}</li></ul>
<p>requests: ${esc(lane.requests_total)} (${esc(modelsUsed(lane))}); refused ${esc(lane.rejected_requests.length)}; egress attempts ${esc(lane.egress_attempts.length)}</p>
${lane.first_error ? `<p class="first-error"><strong>first error:</strong> ${esc(lane.first_error.message)}</p>` : '<p class="muted">no error</p>'}
${failureList([...lane.stage2.failures, ...lane.no_fallback.failures])}
${laneLinks(lane)}
</article>`;
}

// The lanes side by side, each with its verdicts, its first error and links to what it left.
export function laneCards(report: Report): string {
  if (report.lanes.length === 0) return '<p class="muted">No lane ran: Case was not started.</p>';
  return `<div class="lane-cards">${report.lanes.map(card).join('\n')}</div>`;
}
